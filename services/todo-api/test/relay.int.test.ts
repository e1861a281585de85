// The outbox relay keeps a failure where it happens: with the Dapr Scheduler
// down, reminder jobs wait, while every user's events (the writer's own
// included) keep flowing; once it is back, every job is scheduled once and
// the reminders that fell due meanwhile are sent once.
import { afterAll, describe, expect, test } from "bun:test";
import { APP_IDS, TOPICS } from "@todo/shared";
import postgres from "postgres";
import { inSeconds, newUser, type TestUser } from "../../../test/support/api.ts";
import {
  appUrl,
  control,
  eventually,
  readTopic,
  sidecar,
  stack,
  waitForLog,
  type KafkaRecord,
} from "../../../test/support/stack.ts";

const mine = (user: TestUser) => (records: KafkaRecord[]) => records.filter((r) => r.key === user.id);
const db = postgres(stack().databases.todo!, { max: 1, onnotice: () => {} });
afterAll(() => db.end());

const titlesOn = async (topic: string, user: TestUser, count: number, timeoutMs: number) =>
  mine(user)(await readTopic(topic, (rs) => mine(user)(rs).length >= count, timeoutMs)).map(
    (r) => JSON.parse(r.value).data.task_data.title as string,
  );

describe("outbox relay", () => {
  test("with the Scheduler down, events flow for everyone while jobs wait; afterwards every job is scheduled and every due reminder sent, once", async () => {
    const writer = await newUser("jobs-waiting");
    const other = await newUser("unaffected");
    await control("dapr-scheduler", "stop");
    const soon: { id: number; title: string }[] = [];
    const later: { id: number; title: string }[] = [];
    try {
      // Due while the Scheduler is down: the sweeper or the late job must send each once.
      for (let i = 0; i < 3; i++)
        soon.push((await writer.call("POST", "/api/tasks", { title: `soon ${i}`, remind_at: inSeconds(2) })).body);
      // More job rows than one relay batch (200) holds, all ahead of the other user's rows: a relay that
      // takes the oldest rows of every kind would fill its batches with failing jobs and publish nothing more.
      for (let i = 0; i < 250; i++)
        later.push((await writer.call("POST", "/api/tasks", { title: `later ${i}`, remind_at: inSeconds(600) })).body);
      const plain = [];
      for (let i = 0; i < 5; i++)
        plain.push((await other.call("POST", "/api/tasks", { title: `plain ${i}` })).body.title);

      // While the Scheduler is still down: the other user's events, in order, on both topics…
      expect(await titlesOn(TOPICS.taskEvents, other, 5, 90_000)).toEqual(plain);
      expect(await titlesOn(TOPICS.taskUpdates, other, 5, 90_000)).toEqual(plain);
      // …and the writer's own, in order: its events do not wait for its jobs.
      expect(await titlesOn(TOPICS.taskEvents, writer, 253, 60_000)).toEqual([...soon, ...later].map((t) => t.title));

      // The backlog is visible where it is: jobs wait (the outbox counts every replica's rows).
      const ready = (await (await fetch(appUrl(APP_IDS.todoApi, "/readyz"))).json()) as {
        detail: { outbox: Record<string, { pending: number; oldest_pending_age_ms: number }> };
      };
      expect(ready.detail.outbox.jobs!.pending).toBeGreaterThanOrEqual(253);
      expect(ready.detail.outbox.jobs!.oldest_pending_age_ms).toBeGreaterThan(0);
      await waitForLog(
        APP_IDS.todoApi,
        (l) => l.msg === "outbox target failing; retrying with backoff" && l.target === "jobs",
      );
    } finally {
      await control("dapr-scheduler", "start");
    }

    // Back: every job row goes out, and each later reminder's job is there.
    await eventually(
      "the writer's job rows to be carried",
      async () =>
        (await db`select count(*)::int as n from outbox where user_id = ${writer.id} and published_at is null`)[0]!
          .n === 0
          ? true
          : undefined,
      120_000,
    );
    for (const task of later) expect(await sidecar(APP_IDS.todoApi).getJob(`reminder-${task.id}`)).not.toBeNull();
    // Each reminder due during the outage was sent once: by the sweeper meanwhile, or by its job scheduled late (which fires at once).
    for (const task of soon) {
      await waitForLog(APP_IDS.todoApi, (l) => l.msg === "reminder job fired" && l.task_id === task.id, 60_000);
    }
    const reminders = mine(writer)(await readTopic(TOPICS.reminders, (rs) => mine(writer)(rs).length >= 3, 30_000));
    expect(reminders.map((r) => JSON.parse(r.value).data.task_id).sort()).toEqual(soon.map((t) => t.id).sort());
  }, 300_000);

  test("a topic the broker refuses holds back only its own row, which retries on its own back-off and shows in /readyz", async () => {
    const user = await newUser("refused-topic");
    const other = await newUser("unrefused");
    // A topic the broker does not have (it creates none on demand) and todo-api may not publish to: what a
    // deleted topic or a denied ACL looks like to the relay. The sidecar's topic scopes refuse it first (docs/security.md).
    const topic = `missing-${crypto.randomUUID()}`;
    await db`insert into outbox (kind, event_id, target, user_id, payload) values ('publish', ${crypto.randomUUID()}, ${topic}, ${user.id}, ${db.json({ refused: true })})`;
    try {
      const titles: Record<string, string[]> = { [user.id]: [], [other.id]: [] };
      for (let i = 0; i < 3; i++) {
        for (const u of [user, other])
          titles[u.id]!.push((await u.call("POST", "/api/tasks", { title: `while refused ${i}` })).body.title);
      }
      for (const u of [user, other]) {
        expect(await titlesOn(TOPICS.taskEvents, u, 3, 60_000)).toEqual(titles[u.id]!);
        expect(await titlesOn(TOPICS.taskUpdates, u, 3, 60_000)).toEqual(titles[u.id]!);
      }
      const refused = await eventually(
        "the refused row to be retried",
        async () => {
          const [row] = await db`select attempts, published_at, last_error from outbox where target = ${topic}`;
          return row && row.attempts >= 3 ? row : undefined;
        },
        60_000,
      );
      expect(refused.published_at).toBeNull();
      expect(refused.last_error).toContain(`topic ${topic} is not allowed for app id todo-api`);
      const ready = (await (await fetch(appUrl(APP_IDS.todoApi, "/readyz"))).json()) as {
        status: string;
        detail: { outbox: Record<string, unknown> };
      };
      expect(ready.status).toBe("ready"); // a backlog never takes the replica out of service
      expect(ready.detail.outbox[topic]).toMatchObject({ pending: 1, retrying: 1 });
    } finally {
      await db`delete from outbox where target = ${topic}`;
    }
  }, 180_000);
});
