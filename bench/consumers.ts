// What one replica of each pub/sub consumer costs per event: core-ms of the
// service and of its sidecar (from /proc, so it holds on a machine shared
// with other work, unlike a rate) while a backlog of events drains, and how
// long the drain took. Events go straight to Kafka through todo-api's
// sidecar (todo-api's own cost is R1's business), on 50 users' keys:
// CONSUMER_EVENTS (default 3000) task-events, then as many reminders.
// Run against a stack: `STACK_INFO=<data dir>/stack.json bun bench/consumers.ts`.
// Prints one JSON object; nothing is asserted.
import { APP_IDS, PUBSUB, TOPICS, type BulkEntry } from "@todo/shared";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { eventually, sidecar, stack } from "../test/support/stack.ts";
import { exampleTask } from "../test/support/tasks.ts";
import { cpuMs } from "./footprint.ts";

const EVENTS = Number(process.env.CONSUMER_EVENTS ?? 3000);
const USERS = 50;
const run = randomUUID().slice(0, 8);

const pids: { pid: number; name: string }[] = JSON.parse(
  readFileSync(join(dirname(process.env.STACK_INFO!), "pids.json"), "utf8"),
);
const procs = new Map(pids.map((p) => [p.name, p]));

/** Messages a consumer has answered on a topic, summed over the answers (its /metrics). */
async function answered(app: string, topic: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${stack().ports.services[app as "audit-log"].app}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n"))
    if (line.startsWith("todo_consumer_messages_total{") && line.includes(`topic="${topic}"`))
      sum += Number(line.split(" ").at(-1));
  return sum;
}

async function drain(topic: string, consumers: string[], payload: (i: number, user: string) => unknown) {
  const before = Object.fromEntries(await Promise.all(consumers.map(async (c) => [c, await answered(c, topic)])));
  const cpu0 = cpuMs(procs);
  const t0 = performance.now();
  const todoApi = sidecar(APP_IDS.todoApi);
  for (let start = 0; start < EVENTS; start += 100) {
    const entries: BulkEntry[] = [];
    for (let i = start; i < Math.min(EVENTS, start + 100); i++) {
      const user = `bench-${run}-${i % USERS}`;
      entries.push({ entryId: String(i), event: payload(i, user), metadata: { partitionKey: user } });
    }
    const failed = await todoApi.publishBulk(PUBSUB, topic, entries);
    if (failed.length) throw new Error(`publishing failed: ${failed[0]!.error}`);
  }
  const published = performance.now() - t0;
  const drainedAt: Record<string, number> = {};
  await eventually(
    `${consumers.join(", ")} answering ${EVENTS} ${topic} events`,
    async () => {
      for (const c of consumers)
        if (!drainedAt[c] && (await answered(c, topic)) - before[c] >= EVENTS) drainedAt[c] = performance.now() - t0;
      return consumers.every((c) => drainedAt[c]) || undefined;
    },
    600_000,
  );
  const cpu1 = cpuMs(procs);
  const perEvent = (name: string) =>
    Math.round((((cpu1.get(name) ?? 0) - (cpu0.get(name) ?? 0)) / EVENTS) * 1000) / 1000;
  return {
    topic,
    events: EVENTS,
    publish_ms: Math.round(published),
    consumers: Object.fromEntries(
      consumers.map((c) => [
        c,
        {
          drained_ms: Math.round(drainedAt[c]!),
          events_per_s: Math.round(EVENTS / (drainedAt[c]! / 1000)),
          core_ms_per_event: { app: perEvent(c), sidecar: perEvent(`${c}-dapr`) },
        },
      ]),
    ),
    shared_core_ms_per_event: { postgres: perEvent("postgres"), kafka: perEvent("kafka") },
  };
}

const now = () => new Date().toISOString();
const remindBase = Date.now() - 3_600_000;
const taskEvents = await drain(TOPICS.taskEvents, [APP_IDS.auditLog, APP_IDS.recurring], (i, user) => ({
  event_type: "created",
  task_id: 1_000_000 + i,
  task_data: exampleTask({ id: 1_000_000 + i, user_id: user, title: `bench ${i}` }),
  user_id: user,
  timestamp: now(),
}));
const reminders = await drain(TOPICS.reminders, [APP_IDS.notification], (i, user) => ({
  task_id: 2_000_000 + i,
  title: `bench ${i}`,
  due_at: "2026-12-01T09:00:00Z",
  remind_at: new Date(remindBase + i).toISOString(), // unique per run: (task, remind_at) is the reminder's identity
  user_id: user,
}));
const commit = Bun.spawnSync(["git", "rev-parse", "--short", "HEAD"]).stdout.toString().trim();
// The machine's load average over the last 5 min: the figures above are only comparable at similar load.
console.log(
  JSON.stringify({ run, commit, at: new Date().toISOString(), loadavg5: loadavg()[1], taskEvents, reminders }, null, 2),
);
