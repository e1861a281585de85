// Creating a task takes its own path (tasks/create.ts): the row and its
// outbox rows are built before one insert writes both. What it stored must
// read back as the task it answered, and the outbox must hold the events
// and the reminder job the general path would have written, in that order.
import { afterAll, expect, test } from "bun:test";
import { randomUUID } from "node:crypto";
import { quickInfo } from "../../../test/support/quick.ts";
import { connectDatabase } from "@todo/shared/database";
import { connect, migrateDatabase } from "../src/db/client.ts";
import { schema } from "../src/db/schema.ts";
import { TaskService } from "../src/tasks/service.ts";
import { validateTaskCreate } from "../src/tasks/validate.ts";

const info = quickInfo();
if (!info) throw new Error("a quick-tier test: run it with `bun run test:quick`");

await migrateDatabase(info.databaseUrl);
const pool = connect(info.databaseUrl);
afterAll(() => pool.sql.end());
const kicked: (string[] | undefined)[] = [];
const service = new TaskService({
  db: pool.db,
  sql: pool.sql,
  onCommit: (rows) => kicked.push(rows?.map((r) => (r.kind === "publish" ? r.target : "jobs"))),
});

test("every field of a new task reads back as answered, and its outbox rows follow in order", async () => {
  const user = `create-${randomUUID()}`;
  const inAnHour = new Date(Date.now() + 3600_000).toISOString();
  const inTwoHours = new Date(Date.now() + 7200_000).toISOString();
  const created = await service.create(
    user,
    validateTaskCreate({
      title: "Water the plants",
      description: "the ones on the balcony",
      priority: "high",
      tags: ["home", "garden"],
      due_at: inTwoHours,
      remind_at: inAnHour,
      recurrence: { rule: "FREQ=WEEKLY", timezone: "Europe/Berlin" },
    }),
  );
  expect(await service.get(user, created.id)).toEqual(created);
  expect(created).toMatchObject({ user_id: user, priority: "high", tags: ["home", "garden"], occurrence: 1 });
  // The relay is handed the rows the create wrote: both topics and a job.
  expect(kicked.at(-1)).toEqual(["task-events", "task-updates", "jobs"]);

  const rows = await pool.sql<{ kind: string; target: string; user_id: string; payload: Record<string, unknown> }[]>`
    select kind, target, user_id, payload from outbox where user_id = ${user} order by id`;
  expect(rows.map((r) => [r.kind, r.target])).toEqual([
    ["publish", "task-events"],
    ["publish", "task-updates"],
    ["schedule_job", `reminder-${created.id}`],
  ]);
  expect(rows[0]!.payload).toMatchObject({ event_type: "created", task_id: created.id, task_data: created });
  expect(rows[1]!.payload).toMatchObject({ operation: "create", task_id: created.id, task_data: created });
  expect(rows[2]!.payload).toMatchObject({ dueTime: created.remind_at, data: { task_id: created.id, user_id: user } });
  const [pending] = await pool.sql<{ same: boolean }[]>`
    select reminder_pending_at = remind_at as same from tasks where id = ${created.id}`;
  expect(pending!.same).toBe(true);
});

test("a plain task has defaults, no series and no reminder job", async () => {
  const user = `create-${randomUUID()}`;
  const created = await service.create(user, validateTaskCreate({ title: "Plain" }));
  expect(created).toMatchObject({ description: "", priority: "medium", tags: [], series_id: null, remind_at: null });
  expect(await service.get(user, created.id)).toEqual(created);
  const [outbox] = await pool.sql<{ count: number }[]>`select count(*)::int from outbox where user_id = ${user}`;
  expect(outbox!.count).toBe(2);
  expect(kicked.at(-1)).toEqual(["task-events", "task-updates"]);
});

test("a create the database refuses keeps nothing, and its connection serves the next create", async () => {
  // One connection, so the next create runs on the very connection the refused one used.
  const single = connectDatabase(info.databaseUrl, schema, "create-test", 1);
  afterAll(() => single.sql.end());
  const alone = new TaskService({ db: single.db, sql: single.sql, onCommit: () => {} });
  const user = `create-${randomUUID()}`;
  // A NUL byte passes our validation's shape check here (called without it) but no text column takes it.
  await expect(
    alone.create(user, { ...validateTaskCreate({ title: "ok" }), title: "bad\u0000title" }),
  ).rejects.toThrow();
  // Refused one step earlier, at the user's lock: the transaction is open and must be ended.
  await expect(alone.create("bad\u0000user", validateTaskCreate({ title: "ok" }))).rejects.toThrow();
  const [left] = await single.sql<{ tasks: number; outbox: number }[]>`
    select (select count(*)::int from tasks where user_id = ${user}) as tasks,
           (select count(*)::int from outbox where user_id = ${user}) as outbox`;
  expect(left).toEqual({ tasks: 0, outbox: 0 });
  const created = await alone.create(user, validateTaskCreate({ title: "after the refusal" }));
  expect(await alone.get(user, created.id)).toEqual(created);
  // Committed, not left inside a transaction the refusal opened: another connection sees it.
  const [seen] = await pool.sql<{ count: number }[]>`select count(*)::int from tasks where id = ${created.id}`;
  expect(seen!.count).toBe(1);
});

test("one user's concurrent creates: ids, timestamps and outbox rows follow one order", async () => {
  const user = `create-${randomUUID()}`;
  const created = await Promise.all(
    Array.from({ length: 20 }, (_, i) => service.create(user, validateTaskCreate({ title: `task ${i}` }))),
  );
  const byId = [...created].sort((a, b) => a.id - b.id);
  const times = byId.map((t) => t.created_at);
  expect(times).toEqual([...times].sort());
  const events = await pool.sql<{ task_id: number }[]>`
    select (payload->>'task_id')::int as task_id from outbox
    where user_id = ${user} and target = 'task-events' order by id`;
  expect(events.map((e) => e.task_id)).toEqual(byId.map((t) => t.id));
});
