import { describe, expect, test } from "bun:test";
import { reconnectDelay } from "../src/database.ts";

describe("reconnectDelay", () => {
  test("starts in tens of milliseconds and never waits more than a second, however many failures", () => {
    for (let i = 0; i < 200; i++) {
      expect(reconnectDelay(1)).toBeLessThanOrEqual(0.1);
      expect(reconnectDelay(1)).toBeGreaterThan(0);
      for (const retries of [5, 10, 50, 1000]) expect(reconnectDelay(retries)).toBeLessThanOrEqual(1);
    }
    // postgres.js's own curve waits up to 20 s after six failures in a row.
    expect(Math.max(...Array.from({ length: 200 }, () => reconnectDelay(6)))).toBeGreaterThan(0.5);
  });
});
