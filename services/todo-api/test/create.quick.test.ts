// Creating a task takes its own path (tasks/create.ts): the row and its
// outbox rows are built before one insert writes both. What it stored must
// read back as the task it answered, and the outbox must hold the events
// and the reminder job the general path would have written, in that order.
import { afterAll, expect, test } from "bun:test";
import { randomUUID } from "node:crypto";
import { quickInfo } from "../../../test/support/quick.ts";
import { connect, migrateDatabase } from "../src/db/client.ts";
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
