import { describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { httpMetrics } from "../src/metrics/http.ts";
import { deliver, subscription } from "../src/subscription.ts";
import { createLogger } from "../src/log.ts";
import { TOPICS } from "../src/topics.ts";

const scrape = async (app: { handle(r: Request): Promise<Response> }) =>
  (await app.handle(new Request("http://localhost/metrics"))).text();

/** The value of the one sample of `name` whose labels include all of `labels`, in any order. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text
    .split("\n")
    .find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? undefined : Number(line.split(" ").at(-1));
}

/** Polls the text until it holds `want`: the after-response hook runs once the answer is out. */
async function eventually(read: () => Promise<string>, want: RegExp): Promise<string> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const text = await read();
    if (want.test(text) || Date.now() > deadline) return text;
    await Bun.sleep(10);
  }
}

describe("metrics", () => {
  test("requests are counted by route template and status, with a duration histogram", async () => {
    const app = new Elysia()
      .use(httpMetrics("test-svc"))
      .get("/things/:id", ({ params }) => ({ id: params.id }))
      .get("/broken", () => {
        throw new Error("boom");
      });
    await app.handle(new Request("http://localhost/things/1"));
    await app.handle(new Request("http://localhost/things/2"));
    await app.handle(new Request("http://localhost/broken"));
    const text = await eventually(() => scrape(app), /route="\/broken",status="500"/);
    const things = { method: "GET", route: "/things/:id", status: "200", service: "test-svc" };
    expect(sample(text, "http_requests_total", things)).toBe(2);
    expect(sample(text, "http_requests_total", { route: "/broken", status: "500" })).toBe(1);
    expect(sample(text, "http_request_duration_seconds_count", things)).toBe(2);
    expect(text).not.toMatch(/route="\/things\/1"/);
  });

  test("each delivery's answer is counted per topic", async () => {
    const app = new Elysia().use(httpMetrics("test-svc"));
    const sub = subscription({
      name: "t",
      pubsubname: "pubsub",
      topic: TOPICS.taskEvents,
      route: "/events/t",
      handler: async () => "SUCCESS",
    });
    const log = createLogger({ service: "t", write: () => {} });
    const dropped = { topic: "task-events", result: "DROP" };
    // The registry is the process's: other test files in this run deliver too, so count the difference.
    const count = async (name: string) => sample(await scrape(app), name, dropped) ?? 0;
    const before = [
      await count("todo_consumer_messages_total"),
      await count("todo_consumer_handler_duration_seconds_count"),
    ];
    await deliver(sub, { not: "a cloud event" }, log);
    expect(await count("todo_consumer_messages_total")).toBe(before[0]! + 1);
    expect(await count("todo_consumer_handler_duration_seconds_count")).toBe(before[1]! + 1);
  });

  test("/metrics answers 404 to a request that came through a proxy (the ingress), so it stays in the cluster", async () => {
    const app = new Elysia().use(httpMetrics("test-svc"));
    const outside = await app.handle(
      new Request("http://localhost/metrics", { headers: { "x-forwarded-for": "203.0.113.7" } }),
    );
    expect(outside.status).toBe(404);
    expect(await outside.text()).not.toContain("http_requests_total");
    expect((await app.handle(new Request("http://localhost/metrics"))).status).toBe(200);
  });
});
