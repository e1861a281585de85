import { expect, test } from "bun:test";
import {
  createLogger,
  currentTraceparent,
  deliverBulk,
  subscription,
  subscriptionRoutes,
  TOPICS,
  type HandlerResult,
  type Subscription,
} from "../src/index.ts";
import { exampleTask } from "../../test/support/tasks.ts";

const log = createLogger({ service: "test", write: () => {} });
const payload = (taskId: number) => ({
  event_type: "created",
  task_id: taskId,
  task_data: exampleTask({ user_id: "u" }),
  user_id: "u",
  timestamp: "2026-11-27T09:00:00Z",
});
const traceOf = (n: number) => `00-${String(n).padStart(32, "a")}-${"b".repeat(16)}-01`;
const cloudEvent = (id: string, data: unknown, n = 1) => ({
  id,
  specversion: "1.0",
  source: "todo-api",
  type: "com.dapr.event.sent",
  traceparent: traceOf(n),
  data,
});
const bulk = (...events: unknown[]) => ({
  id: "batch",
  type: "com.dapr.event.sent.bulk",
  topic: TOPICS.taskEvents,
  pubsubname: "pubsub",
  entries: events.map((event, i) => ({ entryId: `e${i}`, event, contentType: "application/cloudevents+json" })),
});
const statuses = (...s: HandlerResult[]) => ({ statuses: s.map((status, i) => ({ entryId: `e${i}`, status })) });

const bulkSub = (handlers: Pick<Subscription<"task-events">, "handler" | "batchHandler" | "orderKey">) =>
  subscription({
    name: "s",
    pubsubname: "pubsub",
    topic: TOPICS.taskEvents,
    route: "/e",
    bulk: { maxMessagesCount: 10, maxAwaitDurationMs: 10 },
    ...handlers,
  });
const oneByOne = (handler: (taskId: number) => Promise<HandlerResult>) =>
  bulkSub({ handler: (e) => handler(e.data.task_id) });

test("each entry gets its own answer; an invalid one is dropped alone", async () => {
  const seen: number[] = [];
  const s = oneByOne(async (id) => {
    seen.push(id);
    return id === 3 ? "DROP" : "SUCCESS";
  });
  const answer = await deliverBulk(
    s,
    bulk(cloudEvent("a", payload(1)), cloudEvent("b", { ...payload(2), task_id: "x" }), cloudEvent("c", payload(3))),
    log,
  );
  expect(answer).toEqual(statuses("SUCCESS", "DROP", "DROP"));
  expect(seen).toEqual([1, 3]);
});

test("after a RETRY the rest of the batch is retried unhandled, so the redelivery keeps their order", async () => {
  const seen: number[] = [];
  const s = oneByOne(async (id) => {
    seen.push(id);
    if (id === 2) throw new Error("todo-api down");
    return "SUCCESS";
  });
  const answer = await deliverBulk(
    s,
    bulk(cloudEvent("a", payload(1)), cloudEvent("b", payload(2)), cloudEvent("c", payload(3))),
    log,
  );
  expect(answer).toEqual(statuses("SUCCESS", "RETRY", "RETRY"));
  expect(seen).toEqual([1, 2]);
});

const ofUser = (taskId: number, user: string) => ({ ...payload(taskId), user_id: user });
const byUser = (handler: (taskId: number) => Promise<HandlerResult>) =>
  bulkSub({ handler: (e) => handler(e.data.task_id), orderKey: (e) => e.data.user_id });

test("with an order key, different keys are handled at once and each key's events in order", async () => {
  const started: number[] = [];
  let secondUserStarted: () => void = () => {};
  const secondUser = new Promise<void>((resolve) => (secondUserStarted = resolve));
  const s = byUser(async (id) => {
    started.push(id);
    if (id === 3) secondUserStarted();
    // u1's first event finishes only once u2's has started: one after the other, this never ends.
    if (id === 1) await secondUser;
    return "SUCCESS";
  });
  const answer = await deliverBulk(
    s,
    bulk(cloudEvent("a", ofUser(1, "u1")), cloudEvent("b", ofUser(2, "u1")), cloudEvent("c", ofUser(3, "u2"))),
    log,
  );
  expect(answer).toEqual(statuses("SUCCESS", "SUCCESS", "SUCCESS"));
  expect(started).toEqual([1, 3, 2]);
});

test("with an order key, a RETRY retries the rest of its key only", async () => {
  const seen: number[] = [];
  const s = byUser(async (id) => {
    seen.push(id);
    if (id === 1) throw new Error("todo-api down");
    return "SUCCESS";
  });
  const answer = await deliverBulk(
    s,
    bulk(
      cloudEvent("a", ofUser(1, "u1")),
      cloudEvent("b", ofUser(2, "u2")),
      cloudEvent("c", ofUser(3, "u1")),
      cloudEvent("d", ofUser(4, "u2")),
    ),
    log,
  );
  expect(answer).toEqual(statuses("RETRY", "SUCCESS", "RETRY", "SUCCESS"));
  expect(seen.sort()).toEqual([1, 2, 4]);
});

test("each entry is handled under a span continuing its own CloudEvent's trace", async () => {
  const traces: string[] = [];
  const s = bulkSub({
    handler: async () => {
      traces.push(currentTraceparent()!.split("-")[1]!);
      return "SUCCESS";
    },
  });
  await deliverBulk(s, bulk(cloudEvent("a", payload(1), 1), cloudEvent("b", payload(2), 2)), log);
  expect(traces).toEqual([traceOf(1).split("-")[1]!, traceOf(2).split("-")[1]!]);
});

test("a batch handler gets the valid events together; its throw retries them all, never the dropped one", async () => {
  const batches: string[][] = [];
  let fail = false;
  const s = bulkSub({
    handler: async () => "SUCCESS",
    batchHandler: async (events) => {
      batches.push(events.map((e) => e.id));
      if (fail) throw new Error("database down");
      return events.map(() => ({ result: "SUCCESS" as const }));
    },
  });
  const body = bulk(cloudEvent("a", payload(1)), "not a cloud event", cloudEvent("c", payload(3)));
  expect(await deliverBulk(s, body, log)).toEqual(statuses("SUCCESS", "DROP", "SUCCESS"));
  fail = true;
  expect(await deliverBulk(s, body, log)).toEqual(statuses("RETRY", "DROP", "RETRY"));
  expect(batches).toEqual([
    ["a", "c"],
    ["a", "c"],
  ]);
});

test("a bulk route answers Dapr's statuses shape; a body without entries answers none (Dapr retries)", async () => {
  const app = subscriptionRoutes([oneByOne(async () => "SUCCESS")], log, undefined);
  const post = (body: unknown) =>
    app.handle(
      new Request("http://localhost/e", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
  expect(await (await post(bulk(cloudEvent("a", payload(1))))).json()).toEqual(statuses("SUCCESS"));
  expect(await (await post({ nothing: true })).json()).toEqual({ statuses: [] });
});
