// The checks after every fault scenario: nothing acknowledged lost, every
// effect exactly once, WebSocket clients where REST is. Counts are kept in
// the run's report (printed as a table, written to faults.json).
import { expect } from "bun:test";
import type postgres from "postgres";
import type { Mailbox } from "../support/mailbox.ts";
import { eventually } from "../support/stack.ts";
import { allTasks, canonical, type LiveClient } from "./live-client.ts";
import type { Acknowledged } from "./workload.ts";

export type Counts = Record<string, { expected: number; found: number }>;

/** What every scenario checks with: the services' databases, the SMTP server the test runs, the report. */
export interface FaultRun {
  todo: postgres.Sql;
  notification: postgres.Sql;
  audit: postgres.Sql;
  mailbox: Mailbox;
  report: Record<string, Counts>;
  /** How long each workload runs (FAULT_SECONDS). */
  seconds: number;
  /** p99 latencies (ms) of bystanders' events, without and with a dependency down (stays-down.ts). */
  latency: Record<string, Record<string, { baseline: number; outage: number; bound: number; judged: boolean }>>;
  /** Every user of the suite: none of their messages may be dead-lettered. */
  everyone: string[];
}

export async function verify(
  run: FaultRun,
  scenario: string,
  ack: Acknowledged,
  clients: LiveClient[],
): Promise<Counts> {
  const { todo, audit, notification, mailbox, report } = run;
  const users = [...new Set(ack.created.map((c) => c.user.id))];
  const counts = {} as Counts;
  report[scenario] = counts;
  // The outbox drains once every part is back.
  const drained = () =>
    eventually(
      "the outbox to drain",
      async () =>
        (await todo`select count(*)::int as n from outbox where published_at is null and user_id in ${todo(users)}`)[0]!
          .n === 0
          ? true
          : undefined,
      120_000,
    );
  await drained();

  const ids = ack.created.map((c) => c.id);
  const stored = ids.length ? (await todo`select id from tasks where id in ${todo(ids)}`).length : 0;
  counts["acknowledged writes stored"] = { expected: ids.length, found: stored };

  // One query for every completion: a soak's period completes thousands, and
  // a query each could outlast the deadline while nothing was missing.
  const nextOccurrences = async () =>
    ack.completedRecurring.length
      ? (
          await todo`select count(*)::int as n from tasks t
            join unnest(${ack.completedRecurring.map((c) => c.seriesId)}::uuid[], ${ack.completedRecurring.map((c) => c.occurrence + 1)}::int[])
              as done(series_id, occurrence)
            on t.series_id = done.series_id and t.occurrence = done.occurrence`
        )[0]!.n
      : 0;
  // Past the deadline, each count is what is there then (short means missing, not "gave up").
  const next = await eventually(
    "every next occurrence",
    async () => {
      const n = await nextOccurrences();
      return n >= ack.completedRecurring.length ? n : undefined;
    },
    120_000,
  ).catch(nextOccurrences);
  // The next occurrences are the last writes (recurring makes them); their events are then the last ones to count.
  await drained();
  const events =
    await todo`select event_id::text as id from outbox where kind = 'publish' and target = 'task-events' and user_id in ${todo(users)}`;
  const found = await eventually(
    "audit-log to hold every event",
    async () => {
      const rows =
        await audit`select event_id, count(*)::int as n from audit_events where user_id in ${audit(users)} group by event_id`;
      return rows.length >= events.length ? rows : undefined;
    },
    120_000,
  ).catch(
    async () =>
      audit`select event_id, count(*)::int as n from audit_events where user_id in ${audit(users)} group by event_id`,
  );
  counts["audit rows, one per event"] = { expected: events.length, found: found.reduce((sum, r) => sum + r.n, 0) };
  counts["next occurrences, one per completion"] = { expected: ack.completedRecurring.length, found: next };

  const due = ack.reminders.filter((r) => Date.parse(r.remindAt) < Date.now() + 60_000);
  // By user too: other suites publish made-up reminders whose task ids can collide with real ones.
  const notified = async () =>
    due.length
      ? (
          await notification`select task_id from notifications where task_id in ${notification(due.map((r) => r.id))} and user_id in ${notification(users)}`
        ).length
      : 0;
  const notes = await eventually(
    "a notification per due reminder",
    async () => {
      const n = await notified();
      return n >= due.length ? n : undefined;
    },
    120_000,
  ).catch(notified);
  counts["in-app notifications, one per reminder"] = { expected: due.length, found: notes };
  const mailed = () => mailsPerReminder(mailbox, due).filter((count) => count > 0).length;
  const mails = await eventually(
    "an email per due reminder",
    () => {
      const n = mailed();
      return n >= due.length ? n : undefined;
    },
    120_000,
  ).catch(mailed);
  const extra = mailsPerReminder(mailbox, due).filter((n) => n > 1).length;
  counts["emails, one per reminder"] = { expected: due.length, found: mails + extra };

  // Every connected (or resynced) client converges on what REST says; the
  // next occurrences above were the last writes, so their frames are the last to come.
  const agree = async () =>
    (
      await Promise.all(clients.map(async (c) => canonical(c.tasks.values()) === canonical(await allTasks(c.user))))
    ).filter(Boolean).length;
  const agreeing = await eventually(
    "every WebSocket client to agree with REST",
    async () => {
      const n = await agree();
      return n === clients.length ? n : undefined;
    },
    60_000,
  ).catch(agree);
  counts["WebSocket clients agreeing with REST"] = { expected: clients.length, found: agreeing };
  const tasks = clients.reduce((n, c) => n + c.tasks.size, 0);
  console.log(
    `${scenario}: ${clients.length} clients, ${tasks} tasks held, ${clients.reduce((n, c) => n + c.reconnects, 0)} reconnects, ${clients.reduce((n, c) => n + c.resyncs, 0)} resyncs`,
  );
  return counts;
}

/**
 * How many emails each due reminder got: the mailbox indexed by recipient
 * once, then each reminder looks only at its user's mail. Matching every
 * reminder against the whole mailbox grew with both (a soak holds thousands
 * of reminders and tens of thousands of emails), in the process that also
 * runs the SMTP server: a late answer from it makes notification time out
 * and send again.
 */
function mailsPerReminder(mailbox: Mailbox, due: Acknowledged["reminders"]): number[] {
  const subjectsTo = new Map<string, string[]>();
  for (const m of mailbox.received)
    for (const to of m.to) (subjectsTo.get(to) ?? subjectsTo.set(to, []).get(to)!).push(m.subject);
  return due.map(
    (r) => (subjectsTo.get(r.user.email.toLowerCase()) ?? []).filter((subject) => subject.includes(r.title)).length,
  );
}

/** Every count as expected (after any checks a scenario adds of its own). */
export function expectCounts(counts: Counts) {
  for (const [check, c] of Object.entries(counts))
    expect({ check, found: c.found }).toEqual({ check, found: c.expected });
}
