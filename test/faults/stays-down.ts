// A dependency that stays down, not one that blinks: first a no-fault
// baseline, then the same load with the dependency gone for longer than the
// relay's longest back-off, then back. Two users write a mix heavy
// with reminders; two bystanders only create plain tasks at a steady pace,
// and their events must keep reaching WebSocket clients and audit-log about
// as fast as without the fault (issue 15: p99 within 2× of the baseline).
// Afterwards the usual checks: nothing lost, every reminder exactly once.
import { expect } from "bun:test";
import type { TestUser } from "../support/api.ts";
import { control, controlTopic } from "../support/stack.ts";
import { LiveClient } from "./live-client.ts";
import { expectCounts, verify, type FaultRun } from "./verify.ts";
import { runWorkload, workloadUsers, type Acknowledged } from "./workload.ts";

/**
 * p99 may be twice the baseline's, but never has to be under this: on two
 * shared cores a baseline p99 of 30 ms and an outage p99 of 90 ms are both
 * noise, while the defect this guards against holds events for seconds
 * (the relay's back-off, or the whole outage).
 */
export const LATENCY_FLOOR_MS = 1500;
const BYSTANDER_PACE_MS = 200;

interface Outage {
  scenario: string;
  /** Starts the users' ids and the tasks' titles (no comma: it would split an email address). */
  label: string;
  down(): Promise<void>;
  up(): Promise<void>;
  /** Whose latency the outage must leave alone: a topic's own consumers cannot hear it while it is gone. */
  judged: ("WebSocket" | "audit-log")[];
  /**
   * Counts reported but not asserted, each with the known defect that makes it
   * fail (docs/reliability.md, "Known gaps"): a count a scenario can't meet yet
   * stays visible in the run's output and faults.json instead of being dropped.
   */
  knownGaps?: Record<string, string>;
}

export const schedulerStaysDown = (run: FaultRun) =>
  staysDown(run, {
    scenario: "the Scheduler stays down",
    label: "scheduler-down",
    down: () => control("dapr-scheduler", "stop"),
    up: () => control("dapr-scheduler", "start"),
    judged: ["WebSocket", "audit-log"],
  });

export const topicStaysDown = (run: FaultRun) =>
  staysDown(run, {
    scenario: "task-updates deleted, created again",
    label: "topic-down",
    down: () => controlTopic("task-updates", "delete"),
    up: () => controlTopic("task-updates", "create"),
    judged: ["audit-log"],
  });

async function staysDown(run: FaultRun, outage: Outage): Promise<void> {
  // Longer than the relay's longest back-off (OUTBOX_RETRY_CAP_MS, 10 s by default), so a failing target is retried at its cap.
  const outageMs = Math.max(15, run.seconds) * 1000;
  const { label } = outage;
  const [writers, bystanders] = [await workloadUsers(`${label}-w`, 2), await workloadUsers(`${label}-b`, 2)];
  run.everyone.push(...[...writers, ...bystanders].map((p) => p.id));
  const clients = [...writers, ...bystanders].map((p) => new LiveClient(p));
  try {
    await Promise.all(clients.map((c) => c.start()));
    // Each phase its own titles: reminder emails are told apart by them.
    const phase = async (name: string, ms: number) => {
      const from = Date.now();
      const [mix, plain] = await Promise.all([
        runWorkload(`${label}-${name}`, ms / 1000, writers, 1),
        steadyCreates(bystanders, ms),
      ]);
      return {
        from,
        to: Date.now(),
        ack: { ...mix, created: [...mix.created, ...plain.created], failures: mix.failures + plain.failures },
      };
    };
    const baseline = await phase("baseline", run.seconds * 1000);
    await outage.down();
    let during: Awaited<ReturnType<typeof phase>>;
    try {
      during = await phase("outage", outageMs);
    } finally {
      await outage.up();
    }
    const ack = merge(baseline.ack, during.ack);
    const counts = await verify(run, outage.scenario, ack, clients);

    const bystanderIds = bystanders.map((b) => b.id);
    const samples = {
      WebSocket: clients.filter((c) => bystanderIds.includes(c.user.id)).flatMap(firstArrivals),
      "audit-log": (
        await run.audit`select extract(epoch from event_time) * 1000 as at, extract(epoch from received_at - event_time) * 1000 as ms from audit_events where user_id in ${run.audit(bystanderIds)}`
      ).map((r) => ({ at: Number(r.at), ms: Number(r.ms) })),
    };
    const latency: Record<string, { baseline: number; outage: number; bound: number; judged: boolean }> = {};
    for (const [channel, all] of Object.entries(samples)) {
      const base = p99(all.filter((s) => s.at >= baseline.from && s.at < baseline.to).map((s) => s.ms));
      const out = p99(all.filter((s) => s.at >= during!.from && s.at < during!.to).map((s) => s.ms));
      latency[channel] = {
        baseline: base,
        outage: out,
        bound: Math.max(2 * base, LATENCY_FLOOR_MS),
        judged: outage.judged.includes(channel as "audit-log"),
      };
    }
    run.latency[outage.scenario] = latency;
    console.log(`${outage.scenario}: outage ${outageMs / 1000} s; bystanders' p99 (ms) ${JSON.stringify(latency)}`);
    const gaps = outage.knownGaps ?? {};
    for (const [check, why] of Object.entries(gaps)) {
      const c = counts[check];
      if (!c) throw new Error(`known gap "${check}" names no count of this scenario`);
      console.log(`${outage.scenario}: ${check} ${c.found} / ${c.expected}, not asserted (known gap: ${why})`);
    }
    expectCounts(Object.fromEntries(Object.entries(counts).filter(([check]) => !(check in gaps))));
    for (const [channel, l] of Object.entries(latency))
      if (l.judged)
        expect({ channel, p99: l.outage, within: l.outage <= l.bound }).toEqual({
          channel,
          p99: l.outage,
          within: true,
        });
  } finally {
    for (const c of clients) c.stop();
  }
}

/** Plain creates, one every BYSTANDER_PACE_MS per user: a steady trickle whose latency is measured. */
async function steadyCreates(people: TestUser[], ms: number): Promise<Pick<Acknowledged, "created" | "failures">> {
  const result: Pick<Acknowledged, "created" | "failures"> = { created: [], failures: 0 };
  const end = Date.now() + ms;
  await Promise.all(
    people.map(async (user) => {
      for (let i = 0; Date.now() < end; i++) {
        const res = await user.call("POST", "/api/tasks", { title: `bystander ${i}` }).catch(() => undefined);
        if (res?.status === 201) result.created.push({ user, id: res.body.id });
        else result.failures++;
        await Bun.sleep(BYSTANDER_PACE_MS); // the pace of the trickle, by design
      }
    }),
  );
  return result;
}

/** When each create first reached the client, after the update's own timestamp. */
const firstArrivals = (client: LiveClient) => {
  const seen = new Set<number>();
  return client.arrivals.flatMap((a) => {
    if (a.operation !== "create" || seen.has(a.taskId)) return [];
    seen.add(a.taskId);
    const at = Date.parse(a.timestamp);
    return [{ at, ms: a.at - at }];
  });
};

const p99 = (values: number[]) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!);
};

const merge = (a: Acknowledged, b: Acknowledged): Acknowledged => ({
  created: [...a.created, ...b.created],
  completedRecurring: [...a.completedRecurring, ...b.completedRecurring],
  reminders: [...a.reminders, ...b.reminders],
  pastReminders: a.pastReminders + b.pastReminders,
  failures: a.failures + b.failures,
});
