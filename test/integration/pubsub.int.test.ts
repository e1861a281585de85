// The foundation's promise: messages published through todo-api's sidecar
// cross the real Kafka broker and reach every subscribing service as
// CloudEvents, keyed by user; poison messages are dead-lettered without
// stopping the consumer behind them.
import { describe, expect, test } from "bun:test";
import { APP_IDS, PUBSUB, TOPICS, type AppId, type Topic } from "@todo/shared";
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { readTopic, sidecar, stack, waitForLog } from "../support/stack.ts";
import { exampleTask } from "../support/tasks.ts";

const SUBSCRIBERS: Record<Topic, AppId[]> = {
  [TOPICS.taskEvents]: [APP_IDS.recurring, APP_IDS.auditLog],
  [TOPICS.reminders]: [APP_IDS.notification],
  [TOPICS.taskUpdates]: [APP_IDS.wsSync],
};

const now = () => new Date().toISOString();
const samplePayload = (topic: Topic, userId: string, taskId: number) =>
  ({
    [TOPICS.taskEvents]: {
      event_type: "created",
      task_id: taskId,
      task_data: exampleTask({ id: taskId, user_id: userId, title: "Buy milk ✓" }),
      user_id: userId,
      timestamp: now(),
    },
    [TOPICS.reminders]: {
      task_id: taskId,
      title: "Buy milk ✓",
      due_at: "2026-12-01T09:00:00Z",
      remind_at: "2026-12-01T08:45:00Z",
      user_id: userId,
    },
    [TOPICS.taskUpdates]: {
      operation: "create",
      task_id: taskId,
      task_data: exampleTask({ id: taskId, user_id: userId, title: "Buy milk ✓" }),
      user_id: userId,
      timestamp: now(),
    },
  })[topic];

const received = (service: AppId, eventId: string) =>
  waitForLog(service, (l) => l.msg === "event received" && l.event_id === eventId);
const dropped = (service: AppId, eventId: string) =>
  waitForLog(service, (l) => l.msg === "dropping an invalid payload" && l.event_id === eventId);

test("the stack runs real daprd, Apache Kafka and PostgreSQL", () => {
  const { versions } = stack();
  console.log(`versions: daprd ${versions.daprd}, Apache Kafka ${versions.kafka}, PostgreSQL ${versions.postgres}`);
  expect(versions.daprd).toMatch(/^1\.(1[6-9]|[2-9]\d)\./);
  expect(versions.kafka).toMatch(/^4\./);
  expect(versions.postgres).toMatch(/^\d+\.\d+/);
});

describe("each sidecar's metadata", () => {
  const expected: Record<AppId, { components: string[]; subscriptions: [string, string, string][] }> = {
    [APP_IDS.todoApi]: { components: ["pubsub", "secretstore", "statestore"], subscriptions: [] },
    [APP_IDS.notification]: {
      components: ["pubsub", "secretstore"],
      subscriptions: [["pubsub", "reminders", "reminders-dlq"]],
    },
    [APP_IDS.recurring]: {
      components: ["pubsub", "secretstore"],
      subscriptions: [["pubsub", "task-events", "task-events-dlq"]],
    },
    [APP_IDS.auditLog]: {
      components: ["pubsub", "secretstore"],
      subscriptions: [["pubsub", "task-events", "task-events-dlq"]],
    },
    [APP_IDS.wsSync]: {
      components: ["pubsub-fanout", "secretstore"],
      subscriptions: [["pubsub-fanout", "task-updates", "task-updates-dlq"]],
    },
    [APP_IDS.web]: { components: ["secretstore"], subscriptions: [] },
  };
  for (const [appId, want] of Object.entries(expected) as [AppId, (typeof expected)[AppId]][]) {
    test(`${appId} has its components and declarative subscriptions, and nothing else`, async () => {
      const meta = await sidecar(appId).metadata();
      expect(meta.id).toBe(appId);
      expect((meta.components ?? []).map((c) => c.name).sort()).toEqual(want.components);
      const subs = (meta.subscriptions ?? []).map((s) => [s.pubsubname, s.topic, s.deadLetterTopic ?? ""]);
      expect(subs).toEqual(want.subscriptions);
    });
  }
});

describe("publishing through todo-api's sidecar", () => {
  for (const topic of Object.values(TOPICS)) {
    test(`a ${topic} event reaches ${SUBSCRIBERS[topic].join(" and ")} intact, keyed by its user`, async () => {
      const userId = `user-${randomUUID()}`;
      const eventId = randomUUID();
      const payload = samplePayload(topic, userId, 4242);
      await sidecar(APP_IDS.todoApi).publish(PUBSUB, topic, payload, { partitionKey: userId, eventId });

      // Consumers log an event's ids at info, never its payload (which the record below shows intact).
      for (const service of SUBSCRIBERS[topic]) {
        const line = await received(service, eventId);
        expect(line).toMatchObject({ task_id: payload.task_id, user_id: userId, source: APP_IDS.todoApi });
      }
      const records = await readTopic(topic, (rs) => rs.some((r) => r.headers["cloudevent.id"] === eventId));
      const record = records.find((r) => r.headers["cloudevent.id"] === eventId)!;
      expect(record.key).toBe(userId);
      const envelope = JSON.parse(record.value);
      expect(envelope).toMatchObject({
        id: eventId,
        specversion: "1.0",
        datacontenttype: "application/json",
        data: payload,
      });
    });
  }

  test("one user's events land in one partition, in the order they were published", async () => {
    const userId = `user-${randomUUID()}`;
    const ids = Array.from({ length: 10 }, () => randomUUID());
    for (const [i, eventId] of ids.entries()) {
      await sidecar(APP_IDS.todoApi).publish(
        PUBSUB,
        TOPICS.taskEvents,
        samplePayload(TOPICS.taskEvents, userId, i + 1),
        { partitionKey: userId, eventId },
      );
    }
    const records = await readTopic(
      TOPICS.taskEvents,
      (rs) => rs.filter((r) => r.key === userId).length === ids.length,
    );
    const mine = records.filter((r) => r.key === userId);
    expect(new Set(mine.map((r) => r.partition)).size).toBe(1);
    expect(mine.map((r) => r.headers["cloudevent.id"])).toEqual(ids);
  });
});

describe("poison messages", () => {
  test("a task-events payload with a missing field is dropped to task-events-dlq and consumption goes on", async () => {
    const userId = `user-${randomUUID()}`;
    const badId = randomUUID();
    const goodId = randomUUID();
    const { task_id: _omitted, ...bad } = samplePayload(TOPICS.taskEvents, userId, 7) as Record<string, unknown>;
    const todoApi = sidecar(APP_IDS.todoApi);
    await todoApi.publish(PUBSUB, TOPICS.taskEvents, bad, { partitionKey: userId, eventId: badId });
    await todoApi.publish(PUBSUB, TOPICS.taskEvents, samplePayload(TOPICS.taskEvents, userId, 8), {
      partitionKey: userId,
      eventId: goodId,
    });

    for (const service of SUBSCRIBERS[TOPICS.taskEvents]) {
      const drop = await dropped(service, badId);
      expect(JSON.stringify(drop.errors)).toContain("/task_id");
      await received(service, goodId);
    }
    const letters = await readTopic("task-events-dlq", (rs) => rs.filter((r) => r.value.includes(badId)).length >= 2);
    expect(letters.filter((r) => r.value.includes(badId)).length).toBe(2); // one per consumer group
    expect(letters.some((r) => r.value.includes(goodId))).toBe(false);
  });

  test("non-JSON and wrongly typed reminders are dropped to reminders-dlq; a good one behind them arrives", async () => {
    const userId = `user-${randomUUID()}`;
    const notJson = randomUUID();
    const wrongType = randomUUID();
    const goodId = randomUUID();
    const todoApi = sidecar(APP_IDS.todoApi);
    const res = await fetch(
      `${todoApi.baseUrl}/v1.0/publish/${PUBSUB}/${TOPICS.reminders}?metadata.partitionKey=${userId}&metadata.cloudevent.id=${notJson}`,
      {
        method: "POST",
        headers: { "content-type": "text/plain", "dapr-api-token": stack().tokens.dapr },
        body: "this is not json {",
      },
    );
    expect(res.status).toBe(204);
    await todoApi.publish(
      PUBSUB,
      TOPICS.reminders,
      { ...samplePayload(TOPICS.reminders, userId, 9), task_id: "nine" },
      { partitionKey: userId, eventId: wrongType },
    );
    await todoApi.publish(PUBSUB, TOPICS.reminders, samplePayload(TOPICS.reminders, userId, 10), {
      partitionKey: userId,
      eventId: goodId,
    });

    await dropped(APP_IDS.notification, notJson);
    await dropped(APP_IDS.notification, wrongType);
    await received(APP_IDS.notification, goodId);
    const letters = await readTopic("reminders-dlq", (rs) =>
      [notJson, wrongType].every((id) => rs.some((r) => r.value.includes(id))),
    );
    expect(letters.some((r) => r.value.includes(goodId))).toBe(false);
  });

  test("in one bulk delivery, only the poison entry is dead-lettered and a repeated event is stored once", async () => {
    const userId = `user-${randomUUID()}`;
    const [first, poison, second] = [randomUUID(), randomUUID(), randomUUID()];
    const { task_id: _omitted, ...bad } = samplePayload(TOPICS.taskEvents, userId, 1) as Record<string, unknown>;
    const entry = (entryId: string, eventId: string, event: unknown) => ({
      entryId,
      event,
      metadata: { partitionKey: userId, "cloudevent.id": eventId },
    });
    // One bulk publish to one partition: the consumers' sidecars fetch and deliver them together.
    const failed = await sidecar(APP_IDS.todoApi).publishBulk(PUBSUB, TOPICS.taskEvents, [
      entry("0", first, samplePayload(TOPICS.taskEvents, userId, 1)),
      entry("1", poison, bad),
      entry("2", second, samplePayload(TOPICS.taskEvents, userId, 2)),
      entry("3", first, samplePayload(TOPICS.taskEvents, userId, 1)),
    ]);
    expect(failed).toEqual([]);

    for (const service of SUBSCRIBERS[TOPICS.taskEvents]) {
      await dropped(service, poison);
      const line = await received(service, second);
      expect({ service, bulk: typeof line.batch }).toEqual({ service, bulk: "number" });
    }
    // audit-log: the repeated id answered SUCCESS as a duplicate; the trail holds each event once.
    await waitForLog(
      APP_IDS.auditLog,
      (l) => l.msg === "event received" && l.event_id === first && l.duplicate === true,
    );
    const audit = postgres(stack().databases.audit!, { max: 1, onnotice: () => {} });
    try {
      const rows = await audit`select event_id from audit_events where user_id = ${userId} order by event_id`;
      expect(rows.map((r) => r.event_id)).toEqual([first, second].sort());
    } finally {
      await audit.end();
    }
    const letters = await readTopic("task-events-dlq", (rs) => rs.filter((r) => r.value.includes(poison)).length >= 2);
    expect(letters.filter((r) => r.value.includes(poison)).length).toBe(2); // one per consumer group
    expect(letters.some((r) => r.value.includes(first) || r.value.includes(second))).toBe(false);
  });

  test("routes that only Dapr may call answer 404 without the app token", async () => {
    const { ports } = stack();
    const res = await fetch(`http://127.0.0.1:${ports.services[APP_IDS.auditLog].app}/events/task-events`, {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json" },
      body: JSON.stringify({ id: randomUUID(), data: samplePayload(TOPICS.taskEvents, "intruder", 1) }),
    });
    expect(res.status).toBe(404);
  });
});
