// The per-user request budget: a client that floods the API is told to slow
// down (429 with Retry-After) while other users are served as usual.
import { expect, test } from "bun:test";
import { eventually } from "../../../test/support/stack.ts";
import { newUser } from "../../../test/support/api.ts";
import { APP_IDS } from "@todo/shared";
import { appUrl } from "../../../test/support/stack.ts";

test("a user who sends more than the burst gets 429 with Retry-After; others are unaffected; the budget refills", async () => {
  const flooder = await newUser("flooder");
  const bystander = await newUser("bystander");
  // Waves of 400 at once until one is refused: the budget refills at 50/s, so
  // on a slow machine the first wave alone may not outrun it.
  const responses: Response[] = [];
  for (let wave = 0; wave < 5 && !responses.some((r) => r.status === 429); wave++) {
    const flood = Array.from({ length: 400 }, () =>
      fetch(appUrl(APP_IDS.todoApi, "/api/tasks?limit=1"), { headers: { authorization: `Bearer ${flooder.token}` } }),
    );
    responses.push(...(await Promise.all(flood)));
  }
  const limited = responses.filter((r) => r.status === 429);
  expect(limited.length).toBeGreaterThan(0);
  expect(responses.every((r) => r.status === 200 || r.status === 429)).toBe(true);
  const body = (await limited[0]!.json()) as { error: { code: string } };
  expect(body.error.code).toBe("rate_limited");
  expect(Number(limited[0]!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  await Promise.all(responses.filter((r) => !r.bodyUsed).map((r) => r.arrayBuffer()));

  expect((await bystander.call("GET", "/api/tasks")).status).toBe(200);
  await eventually(
    "the flooder's budget to refill",
    async () => ((await flooder.call("GET", "/api/tasks")).status === 200 ? true : undefined),
    10_000,
  );
});
