import { expect, test } from "bun:test";
import { RateLimiter } from "../src/index.ts";

test("a burst is allowed, the next request is refused until tokens refill", () => {
  let now = 0;
  const limiter = new RateLimiter({ burst: 3, perSecond: 2, now: () => now });
  expect([1, 2, 3].map(() => limiter.take("alice").allowed)).toEqual([true, true, true]);
  const refused = limiter.take("alice");
  expect(refused).toEqual({ allowed: false, remaining: 0, retryAfter: 1 });
  expect(limiter.take("bob").allowed).toBe(true); // keys are independent
  now += 500; // half a second refills one token at 2/s
  expect(limiter.take("alice").allowed).toBe(true);
  expect(limiter.take("alice").allowed).toBe(false);
});

test("tokens never exceed the burst however long a key was idle", () => {
  let now = 0;
  const limiter = new RateLimiter({ burst: 2, perSecond: 100, now: () => now });
  now += 3_600_000;
  expect([1, 2, 3].map(() => limiter.take("k").allowed)).toEqual([true, true, false]);
});
