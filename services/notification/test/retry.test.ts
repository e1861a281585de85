// When a failed email is tried again, and when it is given up.
import { expect, test } from "bun:test";
import { afterFailure } from "../src/email/retry.ts";

const policy = { maxAttempts: 5, baseMs: 1000, maxMs: 5000 };
const now = new Date("2026-12-01T09:00:00Z");
const waitAfter = (attempts: number) => {
  const next = afterFailure(attempts, false, policy, now);
  return next.status === "pending" ? next.nextAttemptAt.getTime() - now.getTime() : next.status;
};

test("waits double after each failure, up to the longest wait", () => {
  expect([1, 2, 3, 4].map(waitAfter)).toEqual([1000, 2000, 4000, 5000]);
});

test("gives up after the last attempt", () => {
  expect(waitAfter(5)).toBe("failed");
  expect(waitAfter(6)).toBe("failed");
});

test("a refusal the server calls permanent is not retried", () => {
  expect(afterFailure(1, true, policy, now)).toEqual({ status: "failed" });
});
