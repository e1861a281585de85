import { expect, test } from "bun:test";
import {
  createLogger,
  deliver,
  eventFields,
  subscription,
  subscriptionRoutes,
  TOPICS,
  type AnySubscription,
} from "../src/index.ts";
import { exampleTask } from "../../test/support/tasks.ts";

const lines: Record<string, unknown>[] = [];
const log = createLogger({ service: "test", write: (l) => lines.push(JSON.parse(l)) });
const payload = {
  event_type: "created",
  task_id: 1,
  task_data: exampleTask({ user_id: "u" }),
  user_id: "u",
  timestamp: "2026-11-27T09:00:00Z",
};
const envelope = (data: unknown) => ({
  id: "ev-1",
  specversion: "1.0",
  source: "todo-api",
  type: "com.dapr.event.sent",
  data,
});

const sub = (handler: () => Promise<"SUCCESS" | "RETRY" | "DROP">): AnySubscription =>
  subscription({ name: "s", pubsubname: "pubsub", topic: TOPICS.taskEvents, route: "/events/task-events", handler });

test("a valid event reaches the handler and its answer is returned", async () => {
  let seen: unknown;
  const s = subscription({
    name: "s",
    pubsubname: "pubsub",
    topic: TOPICS.taskEvents,
    route: "/e",
    handler: async (e) => {
      seen = e.data;
      return "SUCCESS";
    },
  });
  expect(await deliver(s, envelope(payload), log)).toBe("SUCCESS");
  expect(seen).toEqual(payload);
});

test("an invalid payload is logged and dropped without calling the handler", async () => {
  let called = false;
  const result = await deliver(
    sub(async () => {
      called = true;
      return "SUCCESS";
    }),
    envelope({ ...payload, task_id: "x" }),
    log,
  );
  expect(result).toBe("DROP");
  expect(called).toBe(false);
  expect(lines.at(-1)).toMatchObject({ level: "warn", msg: "dropping an invalid payload", event_id: "ev-1" });
});

test("a body that is not a CloudEvent is dropped", async () => {
  expect(
    await deliver(
      sub(async () => "SUCCESS"),
      "plain text",
      log,
    ),
  ).toBe("DROP");
});

test("a handler that throws asks for redelivery", async () => {
  expect(
    await deliver(
      sub(async () => Promise.reject(new Error("db down"))),
      envelope(payload),
      log,
    ),
  ).toBe("RETRY");
});

test("routes parse CloudEvent bodies and answer only the status object", async () => {
  const app = subscriptionRoutes([sub(async () => "SUCCESS")], log, undefined);
  const res = await app.handle(
    new Request("http://localhost/events/task-events", {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json" },
      body: JSON.stringify(envelope(payload)),
    }),
  );
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: "SUCCESS" });
});

test("with an app token configured, a caller without it gets 404", async () => {
  const app = subscriptionRoutes([sub(async () => "SUCCESS")], log, "s3cret-token");
  const request = (token?: string) =>
    new Request("http://localhost/events/task-events", {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json", ...(token ? { "dapr-api-token": token } : {}) },
      body: JSON.stringify(envelope(payload)),
    });
  expect((await app.handle(request())).status).toBe(404);
  expect((await app.handle(request("wrong"))).status).toBe(404);
  expect((await app.handle(request("s3cret-token"))).status).toBe(200);
});

test("the payload is logged at debug only; eventFields names the event by its ids", async () => {
  const written: Record<string, unknown>[] = [];
  const at = (level: "info" | "debug") =>
    createLogger({ service: "test", level, write: (l) => written.push(JSON.parse(l)) });
  const secret = { ...payload, task_data: { ...payload.task_data, title: "my private plans" } };
  const s = subscription({
    name: "s",
    pubsubname: "pubsub",
    topic: TOPICS.taskEvents,
    route: "/e",
    handler: async (_e, note) => {
      note({ duplicate: false });
      return "SUCCESS";
    },
  });
  await deliver(s, envelope(secret), at("info"));
  // One line per delivery, written by deliver(), with what the handler noted.
  expect(written).toEqual([
    expect.objectContaining({
      msg: "event received",
      event_id: "ev-1",
      task_id: 1,
      user_id: "u",
      event_type: "created",
      duplicate: false,
    }),
  ]);
  expect(JSON.stringify(written)).not.toContain("my private plans");
  await deliver(s, envelope(secret), at("debug"));
  expect(written.find((l) => l.msg === "event payload")).toMatchObject({
    level: "debug",
    event_id: "ev-1",
    data: secret,
  });
});

test("a handler that fails still gets its one event received line, then the failure", async () => {
  const written: Record<string, unknown>[] = [];
  const quiet = createLogger({ service: "test", write: (l) => written.push(JSON.parse(l)) });
  const failing = sub(async () => {
    throw new Error("database down");
  });
  expect(await deliver(failing, envelope(payload), quiet)).toBe("RETRY");
  expect(written.map((l) => l.msg)).toEqual(["event received", "handler failed; asking for redelivery"]);
  expect(written[0]).toMatchObject(
    eventFields({ id: "ev-1", topic: TOPICS.taskEvents, source: "todo-api", data: payload } as never),
  );
});
