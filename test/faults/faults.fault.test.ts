// Faults a cluster really has, injected into the real local stack while a
// steady write mix runs; afterwards nothing acknowledged is lost and every
// effect happened exactly once, and WebSocket clients end where REST is.
// FAULT_SECONDS sets how long each workload runs: `bun run test` runs 5 s,
// `bun run test:faults` 60 s. Counts go to faults.json in the log folder and
// are printed as a table.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { Mailbox } from "../support/mailbox.ts";
import { deadLetterTopic, TOPICS } from "@todo/shared";
import { control, eventually, readTopic, stack } from "../support/stack.ts";
import { allTasks, canonical, LiveClient } from "./live-client.ts";
import { runWorkload, workloadUsers, type Acknowledged } from "./workload.ts";

const SECONDS = Number(process.env.FAULT_SECONDS ?? 5);
const db = (name: string) => postgres(stack().databases[name]!, { max: 2, onnotice: () => {} });
let todo: ReturnType<typeof postgres>, notification: ReturnType<typeof postgres>, audit: ReturnType<typeof postgres>;
const mailbox = new Mailbox((stack().ports as unknown as { smtp: number }).smtp);
const report: Record<string, Record<string, { expected: number; found: number }>> = {};
const everyone: string[] = [];

beforeAll(async () => {
  [todo, notification, audit] = [db("todo"), db("notification"), db("audit")];
  await mailbox.open();
});

afterAll(async () => {
  writeFileSync(join(stack().logDir, "faults.json"), JSON.stringify(report, null, 2));
  console.log("\nscenario | check | expected | found");
  for (const [scenario, checks] of Object.entries(report)) for (const [check, c] of Object.entries(checks)) console.log(`${scenario} | ${check} | ${c.expected} | ${c.found}`);
  await mailbox.close();
  await Promise.all([todo?.end(), notification?.end(), audit?.end()]);
});

const bounce = async (name: string, how: "kill" | "stop", downMs = 1500) => {
  await control(name, how);
  await Bun.sleep(downMs); // the outage itself: a duration by design, not a wait for a condition
  await control(name, "start");
};

const SCENARIOS: [string, () => Promise<void>][] = [
  ["kill -9 each consumer in turn", async () => { for (const s of ["notification", "recurring", "audit-log", "ws-sync"]) await bounce(s, "kill", 500); }],
  ["kill -9 todo-api's sidecar", () => bounce("todo-api-dapr", "kill")],
  ["stop and restart the Kafka broker", () => bounce("kafka", "stop", 2000)],
  ["restart Postgres", () => bounce("postgres", "stop", 1000)],
  ["kill -9 todo-api mid-write", () => bounce("todo-api", "kill", 500)],
  ["restart the Scheduler with reminders pending", () => bounce("dapr-scheduler", "kill", 1500)],
];

async function verify(scenario: string, ack: Acknowledged, clients: LiveClient[]) {
  const users = [...new Set(ack.created.map((c) => c.user.id))];
  const counts = (report[scenario] = {} as Record<string, { expected: number; found: number }>);
  // The outbox drains once every part is back.
  const drained = () =>
    eventually("the outbox to drain", async () => ((await todo`select count(*)::int as n from outbox where published_at is null and user_id in ${todo(users)}`)[0]!.n === 0 ? true : undefined), 120_000);
  await drained();

  const ids = ack.created.map((c) => c.id);
  const stored = ids.length ? (await todo`select id from tasks where id in ${todo(ids)}`).length : 0;
  counts["acknowledged writes stored"] = { expected: ids.length, found: stored };

  const next = await eventually("every next occurrence", async () => {
    let n = 0;
    for (const c of ack.completedRecurring) n += (await todo`select count(*)::int as n from tasks where series_id = ${c.seriesId} and occurrence = ${c.occurrence + 1}`)[0]!.n;
    return n >= ack.completedRecurring.length ? n : undefined;
  }, 120_000).catch(() => -1);
  // The next occurrences are the last writes (recurring makes them); their events are then the last ones to count.
  await drained();
  const events = await todo`select event_id::text as id from outbox where kind = 'publish' and target = 'task-events' and user_id in ${todo(users)}`;
  const found = await eventually("audit-log to hold every event", async () => {
    const rows = await audit`select event_id, count(*)::int as n from audit_events where user_id in ${audit(users)} group by event_id`;
    return rows.length >= events.length ? rows : undefined;
  }, 120_000).catch(async () => audit`select event_id, count(*)::int as n from audit_events where user_id in ${audit(users)} group by event_id`);
  counts["audit rows, one per event"] = { expected: events.length, found: found.reduce((sum, r) => sum + r.n, 0) };
  counts["next occurrences, one per completion"] = { expected: ack.completedRecurring.length, found: next };

  const due = ack.reminders.filter((r) => Date.parse(r.remindAt) < Date.now() + 60_000);
  const notes = await eventually("a notification per due reminder", async () => {
    // By user too: other suites publish made-up reminders whose task ids can collide with real ones.
    const rows = due.length ? await notification`select task_id from notifications where task_id in ${notification(due.map((r) => r.id))} and user_id in ${notification(users)}` : [];
    return rows.length >= due.length ? rows.length : undefined;
  }, 120_000).catch(() => -1);
  counts["in-app notifications, one per reminder"] = { expected: due.length, found: notes };
  const mails = await eventually("an email per due reminder", () => {
    const n = due.filter((r) => mailbox.received.some((m) => m.to.includes(r.user.email.toLowerCase()) && m.subject.includes(r.title))).length;
    return n >= due.length ? n : undefined;
  }, 120_000).catch(() => -1);
  const extra = due.map((r) => mailbox.received.filter((m) => m.to.includes(r.user.email.toLowerCase()) && m.subject.includes(r.title)).length).filter((n) => n > 1).length;
  counts["emails, one per reminder"] = { expected: due.length, found: mails + extra };

  // Every connected (or resynced) client converges on what REST says; the
  // next occurrences above were the last writes, so their frames are the last to come.
  const agree = async () => (await Promise.all(clients.map(async (c) => canonical(c.tasks.values()) === canonical(await allTasks(c.user))))).filter(Boolean).length;
  const agreeing = await eventually("every WebSocket client to agree with REST", async () => {
    const n = await agree();
    return n === clients.length ? n : undefined;
  }, 60_000).catch(agree);
  counts["WebSocket clients agreeing with REST"] = { expected: clients.length, found: agreeing };
  const tasks = clients.reduce((n, c) => n + c.tasks.size, 0);
  console.log(`${scenario}: ${clients.length} clients, ${tasks} tasks held, ${clients.reduce((n, c) => n + c.reconnects, 0)} reconnects, ${clients.reduce((n, c) => n + c.resyncs, 0)} resyncs`);
  for (const c of Object.values(counts)) expect(c.found).toBe(c.expected);
}

describe("faults", () => {
  for (const [scenario, inject] of SCENARIOS) {
    test(scenario, async () => {
      const label = scenario.split(" ").slice(0, 2).join("-");
      const people = await workloadUsers(label);
      everyone.push(...people.map((p) => p.id));
      const clients = people.map((p) => new LiveClient(p));
      await Promise.all(clients.map((c) => c.start()));
      try {
        const workload = runWorkload(label, SECONDS, people);
        await Bun.sleep(1000); // let the workload get going before the fault
        await inject();
        const ack = await workload;
        await verify(scenario, ack, clients);
      } finally {
        for (const c of clients) c.stop();
      }
    }, 600_000 + SECONDS * 1000);
  }

  // Every message of these users was good: a RETRY while a dependency was
  // down must end in a later SUCCESS, never in a dead-letter topic.
  test("no good message was dead-lettered", async () => {
    const parked = await Promise.all(
      [TOPICS.taskEvents, TOPICS.reminders, TOPICS.taskUpdates].map(async (topic) => {
        const records = await readTopic(deadLetterTopic(topic), () => true);
        return records.filter((r) => everyone.some((id) => r.value.includes(id))).length;
      }),
    );
    report["all scenarios"] = { "good messages in a dead-letter topic": { expected: 0, found: parked.reduce((a, b) => a + b, 0) } };
    expect(parked).toEqual([0, 0, 0]);
  }, 120_000);
});
