// What a second and third todo-api replica add to the running one: their
// relays and reminder sweepers, here in this process, on the stack's todo
// database and todo-api's real sidecar, polling far more often than a
// replica would so they contend for every pass. However the passes fall,
// each event goes out once and in order per user and topic, and each
// reminder once (the sweepers here have no grace: they race the jobs).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { APP_IDS, createLogger, TOPICS } from "@todo/shared";
import { inSeconds, newUser, type TestUser } from "../../../test/support/api.ts";
import { eventually, readTopic, sidecar, stack, type KafkaRecord } from "../../../test/support/stack.ts";
import { connect } from "../src/db/client.ts";
import { OutboxRelay } from "../src/outbox/relay.ts";
import { ReminderSweeper } from "../src/reminders/sweeper.ts";

const { db, sql } = connect(stack().databases.todo!);
const log = createLogger({ service: "todo-api-test-replica", level: "error" });
const dapr = sidecar(APP_IDS.todoApi);
const relays = [0, 1].map(() => new OutboxRelay({ db, dapr, log, sweepMs: 100 }));
const sweepers = [0, 1].map(
  () =>
    new ReminderSweeper({
      db,
      log,
      onCommit: () => {
        for (const r of relays) r.kick();
      },
      everyMs: 200,
      graceMs: 0,
    }),
);

beforeAll(() => {
  for (const r of relays) r.start();
  for (const s of sweepers) s.start();
});

afterAll(async () => {
  await Promise.all([...sweepers.map((s) => s.stop()), ...relays.map((r) => r.stop())]);
  await sql.end();
});

const mine = (user: TestUser) => (records: KafkaRecord[]) => records.filter((r) => r.key === user.id);
const eventId = (r: KafkaRecord) => JSON.parse(r.value).id as string;

describe("several relays and sweepers on one database", () => {
  test("each event goes out once, in the user's order on each topic; each reminder once", async () => {
    const users = await Promise.all([0, 1, 2, 3].map(() => newUser("replicated")));
    const reminded: number[] = [];
    // Users write side by side, each its own sequence of changes.
    await Promise.all(
      users.map(async (user, u) => {
        for (let i = 0; i < 10; i++) {
          const { body: task } = await user.call("POST", "/api/tasks", {
            title: `t${i}`,
            ...(i < 2 ? { remind_at: inSeconds(3 + u) } : {}),
          });
          if (i < 2) reminded.push(task.id);
          await user.call("PATCH", `/api/tasks/${task.id}`, { title: `t${i} edited` });
        }
      }),
    );
    const ids = users.map((u) => u.id);
    // Each wait's deadline fits the test's, so a failure names the step that failed.
    const drained = () =>
      eventually(
        "the outbox to drain",
        async () =>
          (await sql`select count(*)::int as n from outbox where user_id in ${sql(ids)} and published_at is null`)[0]!
            .n === 0
            ? true
            : undefined,
        40_000,
      );
    await drained();

    for (const topic of [TOPICS.taskEvents, TOPICS.taskUpdates]) {
      const records = await readTopic(topic, (rs) => users.every((u) => mine(u)(rs).length >= 20), 60_000);
      for (const user of users) {
        const written =
          await sql`select event_id::text as id from outbox where user_id = ${user.id} and target = ${topic} order by outbox.id`;
        expect(mine(user)(records).map(eventId)).toEqual(written.map((r) => r.id));
      }
    }

    // Each reminder goes out once, whoever sends it: a sweeper (with no grace it races every job) or
    // the job. A job firing after a sweeper sent its reminder must add nothing, so the count waits until
    // no job is left to fire: each one fired, or the Scheduler no longer holds it. Not every job fires
    // after a Scheduler restart (relay.int.test.ts restarts it just before); the sweepers are there for
    // those (docs/reliability.md).
    let held: number[] = [];
    await eventually(
      "every reminder's job to fire or leave the Scheduler",
      async () => {
        held = [];
        for (const taskId of reminded) if (await dapr.getJob(`reminder-${taskId}`)) held.push(taskId);
        return held.length === 0 ? true : undefined;
      },
      60_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; still held: ${held.map((id) => `reminder-${id}`).join(", ")}`);
    });
    await drained();
    const reminders = await readTopic(TOPICS.reminders, (rs) => users.every((u) => mine(u)(rs).length >= 2), 30_000);
    const sent = users.flatMap((u) => mine(u)(reminders)).map((r) => JSON.parse(r.value).data.task_id as number);
    expect(sent.sort()).toEqual([...reminded].sort());
  }, 330_000);
});
