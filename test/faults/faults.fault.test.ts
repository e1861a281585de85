// Faults a cluster really has, injected into the real local stack while a
// steady write mix runs; afterwards nothing acknowledged is lost and every
// effect happened exactly once. FAULT_SECONDS sets how long each workload
// runs (the short default suits a test run; `bun run test:faults` with
// FAULT_SECONDS=60 is the long version). Counts go to faults.json in the log
// folder and are printed as a table.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { Mailbox } from "../support/mailbox.ts";
import { control, eventually, stack } from "../support/stack.ts";
import { runWorkload, type Acknowledged } from "./workload.ts";

const SECONDS = Number(process.env.FAULT_SECONDS ?? 8);
const db = (name: string) => postgres(stack().databases[name]!, { max: 2, onnotice: () => {} });
let todo: ReturnType<typeof postgres>, notification: ReturnType<typeof postgres>, audit: ReturnType<typeof postgres>;
const mailbox = new Mailbox((stack().ports as unknown as { smtp: number }).smtp);
const report: Record<string, Record<string, { expected: number; found: number }>> = {};

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

async function verify(scenario: string, ack: Acknowledged) {
  const users = [...new Set(ack.created.map((c) => c.user.id))];
  const counts = (report[scenario] = {} as Record<string, { expected: number; found: number }>);
  // The outbox drains once every part is back.
  await eventually("the outbox to drain", async () => ((await todo`select count(*)::int as n from outbox where published_at is null and user_id in ${todo(users)}`)[0]!.n === 0 ? true : undefined), 120_000);

  const ids = ack.created.map((c) => c.id);
  const stored = ids.length ? (await todo`select id from tasks where id in ${todo(ids)}`).length : 0;
  counts["acknowledged writes stored"] = { expected: ids.length, found: stored };

  const events = await todo`select event_id::text as id from outbox where kind = 'publish' and target = 'task-events' and user_id in ${todo(users)}`;
  const found = await eventually("audit-log to hold every event", async () => {
    const rows = await audit`select event_id, count(*)::int as n from audit_events where user_id in ${audit(users)} group by event_id`;
    return rows.length >= events.length ? rows : undefined;
  }, 120_000).catch(async () => audit`select event_id, count(*)::int as n from audit_events where user_id in ${audit(users)} group by event_id`);
  counts["audit rows, one per event"] = { expected: events.length, found: found.reduce((sum, r) => sum + r.n, 0) };

  const next = await eventually("every next occurrence", async () => {
    let n = 0;
    for (const c of ack.completedRecurring) n += (await todo`select count(*)::int as n from tasks where series_id = ${c.seriesId} and occurrence = ${c.occurrence + 1}`)[0]!.n;
    return n >= ack.completedRecurring.length ? n : undefined;
  }, 120_000).catch(() => -1);
  counts["next occurrences, one per completion"] = { expected: ack.completedRecurring.length, found: next };

  const due = ack.reminders.filter((r) => Date.parse(r.remindAt) < Date.now() + 60_000);
  const notes = await eventually("a notification per due reminder", async () => {
    const rows = due.length ? await notification`select task_id from notifications where task_id in ${notification(due.map((r) => r.id))}` : [];
    return rows.length >= due.length ? rows.length : undefined;
  }, 120_000).catch(() => -1);
  counts["in-app notifications, one per reminder"] = { expected: due.length, found: notes };
  const mails = await eventually("an email per due reminder", () => {
    const n = due.filter((r) => mailbox.received.some((m) => m.to.includes(r.user.email.toLowerCase()) && m.subject.includes(r.title))).length;
    return n >= due.length ? n : undefined;
  }, 120_000).catch(() => -1);
  const extra = due.map((r) => mailbox.received.filter((m) => m.to.includes(r.user.email.toLowerCase()) && m.subject.includes(r.title)).length).filter((n) => n > 1).length;
  counts["emails, one per reminder"] = { expected: due.length, found: mails + extra };
  for (const c of Object.values(counts)) expect(c.found).toBe(c.expected);
}

describe("faults", () => {
  for (const [scenario, inject] of SCENARIOS) {
    test(scenario, async () => {
      const workload = runWorkload(scenario.split(" ").slice(0, 2).join("-"), SECONDS);
      await Bun.sleep(1000); // let the workload get going before the fault
      await inject();
      const ack = await workload;
      await verify(scenario, ack);
    }, 600_000);
  }
});
