// R5: what one replica of each consumer carries. Events are bulk-published
// straight to todo-api's sidecar, faster than any consumer takes them, and
// each consumer's own counter (todo_consumer_messages_total, SUCCESS) is
// read from its /metrics until all have arrived. The rate is the slope from
// the first to the last event handled; the CPU is the consumer's app and
// sidecar over the same window. "one partition": every event has the same
// key, so one partition carries them all (what a partition carries end to
// end, since a partition is handled in order). "spread": 64 keys over the
// topic's partitions (what one replica carries). recurring is measured
// twice: on "created" events (what every write sends it, and it skips) and
// on completions of recurring tasks (its own work: plan the next occurrence
// and ask todo-api to create it), counted in its processed_events table,
// since the next occurrences' own "created" events reach it too.
import { APP_IDS, type AppId, PUBSUB, signToken, TOPICS, type Topic } from "@todo/shared";
import postgres from "postgres";
import { step } from "../infra/stack/process.ts";
import type { Stack } from "../infra/stack/stack.ts";
import { Mailbox } from "../test/support/mailbox.ts";
import { exampleTask } from "../test/support/tasks.ts";
import { cpuMs } from "./footprint.ts";

export type Spread = "one partition" | "spread";
/** What the events ask of a consumer: "created", what every write emits; "completed recurring", recurring's own work. */
export type Work = "created" | "completed recurring";

export interface ConsumerRun {
  service: string;
  topic: Topic;
  spread: Spread;
  /** Absent in runs from before completions were measured: "created". */
  work?: Work;
  events: number;
  handled: number;
  perSecond: number;
  /** CPU of the consumer's app and of its sidecar over the window, per event handled. */
  appCoreMsPerEvent: number;
  sidecarCoreMsPerEvent: number;
}

export interface ConsumerTarget {
  service: string;
  topic: Topic;
  work: Work;
  /** How many of the events it has finished so far (a counter that only grows). */
  progress: () => Promise<number>;
}

export interface ConsumerBenchOptions {
  sidecar: string;
  daprToken: string;
  procs: Map<string, { pid: number }>;
  targets: ConsumerTarget[];
  events: number;
  spread: Spread;
  /** Task ids must not repeat across runs: notification keeps one reminder per task and time. */
  firstTaskId: number;
}

const BATCH = 500;
const DEADLINE_MS = 180_000;

function payload(topic: Topic, work: Work, taskId: number, userId: string): unknown {
  const now = new Date().toISOString();
  const task = exampleTask({ id: taskId, user_id: userId, title: `r5 task ${taskId}` });
  if (work === "completed recurring") {
    const series = {
      recurrence: { rule: "FREQ=DAILY", timezone: "UTC" },
      series_id: crypto.randomUUID(),
      occurrence: 1,
      due_at: now,
      series_anchor_at: now,
    };
    const done = { ...task, ...series, completed: true, completed_at: now };
    return { event_type: "completed", task_id: taskId, task_data: done, user_id: userId, timestamp: now };
  }
  if (topic === TOPICS.taskEvents)
    return { event_type: "created", task_id: taskId, task_data: task, user_id: userId, timestamp: now };
  if (topic === TOPICS.taskUpdates)
    return { operation: "create", task_id: taskId, task_data: task, user_id: userId, timestamp: now };
  return { task_id: taskId, title: `r5 task ${taskId}`, due_at: now, remind_at: now, user_id: userId };
}

/** The SUCCESS count of one topic in a Prometheus text exposition. */
export function handledCount(exposition: string, topic: string): number {
  let total = 0;
  for (const line of exposition.split("\n")) {
    if (!line.startsWith("todo_consumer_messages_total{")) continue;
    if (!line.includes(`topic="${topic}"`) || !line.includes(`result="SUCCESS"`)) continue;
    total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}

/** A consumer's SUCCESS count of one topic, from its /metrics. */
const successes = (metricsUrl: string, topic: Topic) => async () =>
  handledCount(await (await fetch(metricsUrl)).text(), topic);

async function publishAll(o: ConsumerBenchOptions, topic: Topic, work: Work): Promise<void> {
  for (let start = 0; start < o.events; start += BATCH) {
    const entries = Array.from({ length: Math.min(BATCH, o.events - start) }, (_, k) => {
      const i = start + k;
      const userId = o.spread === "one partition" ? "r5-user-0" : `r5-user-${i % 64}`;
      return {
        entryId: String(i),
        event: payload(topic, work, o.firstTaskId + i, userId),
        contentType: "application/json",
        metadata: { partitionKey: userId, "cloudevent.id": crypto.randomUUID() },
      };
    });
    const res = await fetch(`${o.sidecar}/v1.0-alpha1/publish/bulk/${PUBSUB}/${topic}`, {
      method: "POST",
      headers: { "content-type": "application/json", "dapr-api-token": o.daprToken },
      body: JSON.stringify(entries),
    });
    if (res.status !== 204 && res.status !== 200) throw new Error(`R5 bulk publish: ${res.status} ${await res.text()}`);
  }
}

/** Publishes `events` to each target's topic once and follows every target that reads it. */
export async function consumerThroughput(o: ConsumerBenchOptions): Promise<ConsumerRun[]> {
  const runs: ConsumerRun[] = [];
  // One publication per topic and kind of work; every target it concerns is followed.
  const groups = [...new Map(o.targets.map((t) => [`${t.topic} ${t.work}`, t])).values()];
  for (const [n, { topic, work }] of groups.entries()) {
    const targets = o.targets.filter((t) => t.topic === topic && t.work === work);
    const progress = () => Promise.all(targets.map((t) => t.progress()));
    const before = await progress();
    const cpuBefore = cpuMs(o.procs);
    const first = new Map<string, { at: number; count: number; cpu: Map<string, number> }>();
    const done = new Map<string, { at: number; count: number; cpu: Map<string, number> }>();
    const publishing = publishAll({ ...o, firstTaskId: o.firstTaskId + n * o.events }, topic, work);
    const deadline = Date.now() + DEADLINE_MS;
    while (done.size < targets.length && Date.now() < deadline) {
      const counts = await progress();
      const now = performance.now();
      const cpu = cpuMs(o.procs);
      targets.forEach((t, i) => {
        const got = counts[i]! - before[i]!;
        if (got > 0 && !first.has(t.service)) first.set(t.service, { at: now, count: got, cpu });
        if (got >= o.events && !done.has(t.service)) done.set(t.service, { at: now, count: got, cpu });
      });
      await Bun.sleep(50); // a polling interval while the consumers work, not a wait for a condition
    }
    await publishing;
    for (const [i, t] of targets.entries()) {
      const a = first.get(t.service);
      const b = done.get(t.service) ?? {
        at: performance.now(),
        count: (await t.progress()) - before[i]!,
        cpu: cpuMs(o.procs),
      };
      const spent = (name: string) => (b.cpu.get(name) ?? 0) - (cpuBefore.get(name) ?? 0);
      const seconds = a ? (b.at - a.at) / 1000 : NaN;
      runs.push({
        service: t.service,
        topic,
        spread: o.spread,
        work,
        events: o.events,
        handled: b.count,
        perSecond: a && seconds > 0 ? Math.round((b.count - a.count) / seconds) : 0,
        appCoreMsPerEvent: round2(spent(t.service) / Math.max(1, b.count)),
        sidecarCoreMsPerEvent: round2(spent(`${t.service}-dapr`) / Math.max(1, b.count)),
      });
    }
  }
  return runs;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** R5 as `bun run bench` runs it: every consumer, both key spreads alternating, `rounds` times. */
export async function consumerRounds(o: {
  api: string;
  sidecar: string;
  secret: string;
  stack: Stack;
  rounds: number;
}): Promise<ConsumerRun[]> {
  // notification looks up each user's contact: let the users exist first.
  const userTokens = await Promise.all(
    Array.from({ length: 64 }, (_, i) => signToken(o.secret, { sub: `r5-user-${i}` })),
  );
  await Promise.all(
    userTokens.map((t) => fetch(`${o.api}/api/tasks?limit=1`, { headers: { authorization: `Bearer ${t}` } })),
  );
  const metricsUrl = (id: AppId) => `http://127.0.0.1:${o.stack.ports.services[id].app}/metrics`;
  const recurringDb = postgres(o.stack.postgres.url("recurring"), { max: 1, onnotice: () => {} });
  const created = (service: AppId, topic: Topic): ConsumerTarget => ({
    service,
    topic,
    work: "created",
    progress: successes(metricsUrl(service), topic),
  });
  const targets: ConsumerTarget[] = [
    created(APP_IDS.auditLog, TOPICS.taskEvents),
    created(APP_IDS.recurring, TOPICS.taskEvents),
    {
      service: APP_IDS.recurring,
      topic: TOPICS.taskEvents,
      work: "completed recurring",
      // One row per completion it acted on; its counter also counts the next occurrences' "created" events.
      progress: async () => (await recurringDb`select count(*)::int as n from processed_events`)[0]!.n,
    },
    created(APP_IDS.wsSync, TOPICS.taskUpdates),
    created(APP_IDS.notification, TOPICS.reminders),
  ];
  const events = Number(process.env.BENCH_R5_EVENTS ?? 3000);
  const runs: ConsumerRun[] = [];
  const mailbox = new Mailbox(o.stack.ports.smtp);
  await mailbox.open();
  try {
    let firstTaskId = 1_000_000;
    for (let round = 1; round <= o.rounds; round++) {
      for (const spread of ["one partition", "spread"] as const) {
        step(`R5 ${spread} round ${round}/${o.rounds}`);
        const got = await consumerThroughput({
          sidecar: o.sidecar,
          daprToken: o.stack.tokens.dapr,
          procs: o.stack.procs,
          targets,
          events,
          spread,
          firstTaskId,
        });
        firstTaskId += events * targets.length;
        for (const r of got)
          step(`R5 ${r.service} (${r.work}) ${spread}: ${r.perSecond} events/s, ${r.handled}/${r.events}`);
        runs.push(...got);
      }
    }
  } finally {
    await mailbox.close();
    await recurringDb.end();
  }
  return runs;
}

/** The Markdown section of a run's R5 figures: medians of the rounds per consumer and spread. */
export function r5Section(runs: ConsumerRun[], median: (xs: number[]) => number): string[] {
  const keyOf = (r: ConsumerRun) => `${r.service}|${r.topic}|${r.work ?? "created"}|${r.spread}`;
  const keys = [...new Set(runs.map(keyOf))];
  const rows = keys.map((key) => {
    const rs = runs.filter((r) => keyOf(r) === key);
    const [service, topic, work, spread] = key.split("|");
    const m = (f: (r: ConsumerRun) => number) => median(rs.map(f));
    return `| ${service} | ${topic} (${work}) | ${spread} | ${rs.map((r) => `${r.handled}/${r.events}`).join(", ")} | ${m((r) => r.perSecond)} | ${rs.map((r) => r.perSecond).join(", ")} | ${m((r) => r.appCoreMsPerEvent)} | ${m((r) => r.sidecarCoreMsPerEvent)} |`;
  });
  return [
    "## R5 consumer throughput (one replica of each consumer)",
    "",
    "Events bulk-published straight to todo-api's sidecar, faster than any consumer takes them; the rate is the slope of the consumer's own SUCCESS counter from its first to its last event. *one partition*: every event has one key; *spread*: 64 keys over the topic's partitions. ws-sync has no WebSocket client connected here (R2 measures frames). *completed recurring*: every event completes a recurring task, so recurring plans the next occurrence and asks todo-api to create it; counted in its processed_events, and its CPU includes the next occurrences' own events reaching it. Core-ms per event: the consumer's app and its sidecar over the window.",
    "",
    "| consumer | topic (events) | keys | handled | events/s (median) | rounds | app core-ms/event | sidecar core-ms/event |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
  ];
}
