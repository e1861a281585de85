// Every change reaches Kafka as exactly the contract's events, keyed by the
// user, in order, and none is lost while the sidecar is down.
import { describe, expect, test } from "bun:test";
import { TOPICS, validatePayload } from "@todo/shared";
import { newUser, type TestUser } from "../../../test/support/api.ts";
import postgres from "postgres";
import { control, readTopic, stack, type KafkaRecord } from "../../../test/support/stack.ts";

const mine = (user: TestUser) => (records: KafkaRecord[]) => records.filter((r) => r.key === user.id);

describe("events", () => {
  test("each change publishes one task-events and one task-updates message, schema-valid, keyed and ordered", async () => {
    const user = await newUser("eventful");
    const { body: task } = await user.call("POST", "/api/tasks", { title: "track me", tags: ["x"] });
    await user.call("PATCH", `/api/tasks/${task.id}`, { title: "tracked" });
    await user.call("POST", `/api/tasks/${task.id}/complete`);
    await user.call("POST", `/api/tasks/${task.id}/reopen`);
    await user.call("DELETE", `/api/tasks/${task.id}`);

    const events = mine(user)(await readTopic(TOPICS.taskEvents, (rs) => mine(user)(rs).length >= 5));
    const updates = mine(user)(await readTopic(TOPICS.taskUpdates, (rs) => mine(user)(rs).length >= 5));
    expect(events).toHaveLength(5);
    expect(updates).toHaveLength(5);
    expect(new Set(events.map((r) => r.partition)).size).toBe(1);

    const eventData = events.map((r) => JSON.parse(r.value).data);
    const updateData = updates.map((r) => JSON.parse(r.value).data);
    for (const data of eventData) expect(validatePayload(TOPICS.taskEvents, data).ok).toBe(true);
    for (const data of updateData) expect(validatePayload(TOPICS.taskUpdates, data).ok).toBe(true);
    expect(eventData.map((d) => d.event_type)).toEqual(["created", "updated", "completed", "reopened", "deleted"]);
    expect(updateData.map((d) => d.operation)).toEqual(["create", "update", "complete", "reopen", "delete"]);
    expect(eventData.map((d) => d.task_data.title)).toEqual(["track me", "tracked", "tracked", "tracked", "tracked"]);
    expect(eventData[2].task_data.completed).toBe(true);
    expect(eventData[4].task_data).toMatchObject({ id: task.id, completed: false }); // the task as it was before deletion
    for (const data of [...eventData, ...updateData])
      expect(data).toMatchObject({ task_id: task.id, user_id: user.id });
    // CloudEvent ids are unique per message and are the outbox's ids: a
    // republished row carries the same id, which is what consumers dedupe on.
    const ids = [...events, ...updates].map((r) => JSON.parse(r.value).id);
    expect(new Set(ids).size).toBe(10);
    const db = postgres(stack().databases.todo!, { max: 1 });
    try {
      const rows = await db`select event_id::text as id from outbox where user_id = ${user.id} and kind = 'publish'`;
      expect(new Set(ids)).toEqual(new Set(rows.map((r) => r.id)));
    } finally {
      await db.end();
    }
  });

  test("with todo-api's sidecar down, 50 writes succeed and all 100 events arrive once each, in order, after it returns", async () => {
    const users = [await newUser("outage-a"), await newUser("outage-b")];
    await control("todo-api-dapr", "stop");
    let created: { user: TestUser; id: number; title: string }[] = [];
    try {
      const writes = Array.from({ length: 25 }, (_, i) => i);
      for (const i of writes) {
        for (const user of users) {
          const res = await user.call("POST", "/api/tasks", { title: `offline ${i}` });
          expect(res.status).toBe(201);
          created.push({ user, id: res.body.id, title: res.body.title });
        }
      }
    } finally {
      await control("todo-api-dapr", "start");
    }
    for (const user of users) {
      const expectTitles = created.filter((c) => c.user === user).map((c) => c.title);
      for (const topic of [TOPICS.taskEvents, TOPICS.taskUpdates]) {
        const records = mine(user)(await readTopic(topic, (rs) => mine(user)(rs).length >= 25, 60_000));
        expect(records).toHaveLength(25);
        expect(records.map((r) => JSON.parse(r.value).data.task_data.title)).toEqual(expectTitles);
      }
    }
    created = [];
  });
});
