// R3: reminder precision. One scenario (1000 reminders spread over 60 s, or
// 1000 due within one second) through the public API, and how late each one
// is, from its remind_at, at three points: the Scheduler's call to todo-api's
// job route, the `reminders` event at notification, the email at the SMTP
// sink. A plain setTimeout process keeps the same schedule beside it as the
// baseline. Every time is wall clock in ms (the services log ISO times with
// ms resolution), so a negative lateness is an early firing.
import { signToken } from "@todo/shared";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Mailbox } from "../test/support/mailbox.ts";
import { percentile } from "./load.ts";

export type Scenario = "spread" | "burst";

export interface StagePrecision {
  /** Reminders seen at this point at least once (first arrival counts). */
  delivered: number;
  /** Arrivals beyond the first: a job retried, an event or email sent again. */
  repeats: number;
  early: number;
  min: number;
  p50: number;
  p99: number;
  max: number;
}

export interface R3Run {
  scenario: Scenario;
  reminders: number;
  users: number;
  /** From the start of the scenario to the first remind_at (whole second, so up to 1 s more). */
  leadSeconds: number;
  created: number;
  /** From the first create request until the last was answered. */
  createSeconds: number;
  /** How long before the first remind_at every job was handed to the Scheduler (negative: after). */
  scheduledAheadMs: number;
  stages: { callback: StagePrecision; event: StagePrecision; email: StagePrecision; setTimeout: StagePrecision };
}

export interface R3Options {
  api: string;
  secret: string;
  mailbox: Mailbox;
  logDir: string;
  scenario: Scenario;
  /** Unique per run of a scenario: it names the users and tasks, and picks out their emails. */
  tag: string;
  /** Rows todo-api has not yet published or handed to the Scheduler. */
  outboxPending: () => Promise<number>;
  count?: number;
  leadSeconds?: number;
}

const USERS = 50; // 20 tasks each: well inside the per-user burst of 300
const CREATORS = 8;
// Creating 1000 tasks and handing their jobs to the Scheduler took 5–8 s
// here; the rest keeps creation load away from the firing.
const LEAD_SECONDS = 20;

/** Wall-clock targets: from a whole second `leadSeconds` ahead, evenly over 60 s or over one second. */
export function reminderSchedule(scenario: Scenario, count: number, start: number, leadSeconds: number): number[] {
  const first = Math.ceil((start + leadSeconds * 1000) / 1000) * 1000;
  const span = scenario === "spread" ? 60_000 : 1000;
  return Array.from({ length: count }, (_, i) => first + Math.floor((i * span) / count));
}

/** Lateness of each reminder's first arrival; later arrivals of the same one are repeats. */
export function precision(arrivals: Map<number, number[]>, targets: number[]): StagePrecision {
  const late = [...arrivals].map(([i, times]) => Math.min(...times) - targets[i]!).sort((a, b) => a - b);
  let repeats = 0;
  for (const times of arrivals.values()) repeats += times.length - 1;
  return {
    delivered: late.length,
    repeats,
    early: late.filter((x) => x < 0).length,
    min: late[0] ?? NaN,
    p50: percentile(late, 50),
    p99: percentile(late, 99),
    max: late.at(-1) ?? NaN,
  };
}

const arrive = (arrivals: Map<number, number[]>, index: number, at: number) => {
  const times = arrivals.get(index);
  if (times) times.push(at);
  else arrivals.set(index, [at]);
};

export async function reminderPrecision(o: R3Options): Promise<R3Run> {
  const count = o.count ?? 1000;
  const leadSeconds = o.leadSeconds ?? LEAD_SECONDS;
  const targets = reminderSchedule(o.scenario, count, Date.now(), leadSeconds);
  const logs = { todoApi: join(o.logDir, "todo-api.log"), notification: join(o.logDir, "notification.log") };
  // Only what this scenario appends is ours to read.
  const offsets = { todoApi: Bun.file(logs.todoApi).size, notification: Bun.file(logs.notification).size };
  const baseline = Bun.spawn([process.execPath, join(import.meta.dir, "timers.ts")], {
    stdin: new Blob([JSON.stringify(targets)]),
    stdout: "pipe",
  });
  try {
    const created = await createReminders(o, targets);
    // A job still in the outbox at its remind_at would be late for our own reason, not the Scheduler's.
    while ((await o.outboxPending()) > 0 && Date.now() < targets.at(-1)!) await Bun.sleep(100);
    const scheduledAheadMs = targets[0]! - Date.now();

    const emails = await awaitEmails(o, created.indexOfTask.size, targets.at(-1)! + 90_000);
    // The launcher appends log lines as it reads the services' output: give it a moment to catch up.
    const logDeadline = Date.now() + 5000;
    let seen = readStages(logs, offsets, created.indexOfTask);
    while (![...emails.keys()].every((i) => seen.callbacks.has(i) && seen.events.has(i)) && Date.now() < logDeadline) {
      await Bun.sleep(200);
      seen = readStages(logs, offsets, created.indexOfTask);
    }

    const timerLateness = JSON.parse(await new Response(baseline.stdout).text()) as number[];
    const timers = new Map(timerLateness.map((late, i) => [i, [targets[i]! + late]]));
    return {
      scenario: o.scenario,
      reminders: count,
      users: USERS,
      leadSeconds,
      created: created.indexOfTask.size,
      createSeconds: created.seconds,
      scheduledAheadMs,
      stages: {
        callback: precision(seen.callbacks, targets),
        event: precision(seen.events, targets),
        email: precision(emails, targets),
        setTimeout: precision(timers, targets),
      },
    };
  } catch (err) {
    baseline.kill(); // its timers would otherwise run on to the last target
    throw err;
  }
}

/** Creates one task per target through the public API, spread over many users; maps task id → index. */
async function createReminders(o: R3Options, targets: number[]) {
  const users = await Promise.all(
    Array.from({ length: USERS }, (_, u) =>
      signToken(o.secret, { sub: `r3-${o.tag}-${u}`, email: `r3-${o.tag}-${u}@bench.invalid` }),
    ),
  );
  const indexOfTask = new Map<number, number>();
  const started = performance.now();
  let next = 0;
  const creator = async () => {
    for (let i = next++; i < targets.length; i = next++) {
      const res = await fetch(`${o.api}/api/tasks`, {
        method: "POST",
        headers: { authorization: `Bearer ${users[i % USERS]}`, "content-type": "application/json" },
        body: JSON.stringify({
          title: `r3 ${o.tag} #${i}`,
          due_at: new Date(targets[i]! + 3_600_000).toISOString(),
          remind_at: new Date(targets[i]!).toISOString(),
        }),
      });
      if (res.status === 201) indexOfTask.set(((await res.json()) as { id: number }).id, i);
      else await res.arrayBuffer(); // left out of `created`; shows up as undelivered
    }
  };
  await Promise.all(Array.from({ length: CREATORS }, creator));
  return { indexOfTask, seconds: (performance.now() - started) / 1000 };
}

/** The scenario's emails at the sink (by the task title in the subject), until all came or the deadline. */
async function awaitEmails(o: R3Options, expected: number, deadline: number) {
  const emails = new Map<number, number[]>();
  const subject = new RegExp(`r3 ${o.tag} #(\\d+)\\b`);
  let read = 0;
  for (;;) {
    for (; read < o.mailbox.received.length; read++) {
      const mail = o.mailbox.received[read]!;
      const m = mail.subject.match(subject);
      if (m) arrive(emails, Number(m[1]), mail.receivedAt);
    }
    if (emails.size >= expected || Date.now() > deadline) return emails;
    await Bun.sleep(250);
  }
}

/**
 * The job callbacks (todo-api's "reminder job fired", at its `called_at`)
 * and the events at notification ("event received" on `reminders`, at the
 * line's time), from what the logs gained since the scenario began.
 */
function readStages(
  logs: { todoApi: string; notification: string },
  offsets: { todoApi: number; notification: number },
  indexOfTask: Map<number, number>,
) {
  const callbacks = new Map<number, number[]>();
  const events = new Map<number, number[]>();
  for (const [name, into] of [
    ["todoApi", callbacks],
    ["notification", events],
  ] as const) {
    const text = readFileSync(logs[name]).subarray(offsets[name]).toString("utf8");
    for (const line of text.split("\n")) {
      if (!line.includes('"reminder job fired"') && !line.includes('"event received"')) continue;
      let l: { time?: string; called_at?: string; task_id?: number; topic?: string };
      try {
        l = JSON.parse(line);
      } catch {
        continue; // a launcher line, not the service's JSON
      }
      // Both lines name the task at the top level ("event received" carries ids, never the payload).
      const taskId = name === "todoApi" || l.topic === "reminders" ? l.task_id : undefined;
      const index = taskId === undefined ? undefined : indexOfTask.get(taskId);
      const at = Date.parse((name === "todoApi" ? l.called_at : l.time) ?? "");
      if (index !== undefined && Number.isFinite(at)) arrive(into, index, at);
    }
  }
  return { callbacks, events };
}
