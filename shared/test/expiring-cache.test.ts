import { expect, test } from "bun:test";
import { ExpiringCache } from "../src/expiring-cache.ts";

test("an entry is kept until the earlier of its exp and the age bound", () => {
  const cache = new ExpiringCache<string>(10, 1000);
  cache.set("short", "a", 500, 0);
  cache.set("long", "b", 10_000, 0);
  expect(cache.get("short", 499)).toBe("a");
  expect(cache.get("short", 500)).toBeUndefined();
  expect(cache.get("long", 999)).toBe("b");
  expect(cache.get("long", 1000)).toBeUndefined();
});

test("an already expired token is not stored, and the map stays bounded by dropping the oldest", () => {
  const cache = new ExpiringCache<number>(2, 60_000);
  cache.set("expired", 0, 100, 100);
  expect(cache.size).toBe(0);
  cache.set("one", 1, 10_000, 0);
  cache.set("two", 2, 10_000, 0);
  cache.set("three", 3, 10_000, 0);
  expect(cache.size).toBe(2);
  expect(cache.get("one", 1)).toBeUndefined();
  expect(cache.get("three", 1)).toBe(3);
});
