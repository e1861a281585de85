// `bun run soak`: starts the stack on its own ports (offset 2300) with
// throwaway data and runs the fault suite's write mix for SOAK_MINUTES
// (default 60) at half of R1's sustained rate (the newest bench run, or
// SOAK_RATE writes/s), injecting one of the fault suite's scenarios every
// SOAK_FAULT_EVERY minutes (default 5), in turn. Every period has its own
// users and WebSocket clients, and the fault suite's checks run on them
// while the next period's load goes on. Samples every process every 10 s;
// reports RSS slopes, CPU, effects lost or duplicated and write → WebSocket
// p99 per 5 minutes (bench/soak-report.ts). Each period is counted twice:
// at its check, while the next period's load runs (what fell short then was
// late), and again once the load has ended and everything drained (what is
// short then is lost). Exits 1 if anything was lost or duplicated. Ctrl-C
// stops everything it started.
import "../infra/stack/bun-version.ts"; // first: refuse an unsupported Bun before anything starts
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import postgres from "postgres";
import { startControl } from "../infra/stack/control.ts";
import { stackPorts } from "../infra/stack/ports.ts";
import { step } from "../infra/stack/process.ts";
import { ensureTools } from "../infra/stack/setup.ts";
import { SERVICE_DATABASES, startStack, type Stack } from "../infra/stack/stack.ts";
import { describeStack } from "../infra/stack/state.ts";
import { LiveClient } from "../test/faults/live-client.ts";
import { deadLettered, FAULT_SCENARIOS } from "../test/faults/scenarios.ts";
import { type FaultRun, verify } from "../test/faults/verify.ts";
import { type Acknowledged, runWorkload, workloadUsers } from "../test/faults/workload.ts";
import { Mailbox } from "../test/support/mailbox.ts";
import { query } from "../test/support/promql.ts";
import { eventually } from "../test/support/stack.ts";
import { cloudTraceSamplingRate } from "./capacity.ts";
import { TICKS } from "./footprint.ts";
import { machine, runDate } from "./machine.ts";
import { faultSchedule, halfOfR1, type Period, pacer, sharedConsumerGroups } from "./soak-plan.ts";
import { type FaultRecord, type ProcessSummary, writeSoakReport } from "./soak-report.ts";
import { startSampler } from "./soak-sampler.ts";
import {
  cpuPercent,
  firstFrameLatencies,
  lastMemoryAndRestarts,
  lostAndDuplicated,
  memorySlopeMbPerHour,
  windowedLatency,
} from "./soak-stats.ts";

const repoRoot = resolve(import.meta.dir, "..");
const resultsDir = join(repoRoot, "bench/results");
const positive = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!(value > 0)) throw new Error(`${name}: a positive number, not ${process.env[name]}`);
  return value;
};
const MINUTES = positive("SOAK_MINUTES", 60);
const FAULT_EVERY = positive("SOAK_FAULT_EVERY", 5);
const { rate: RATE, source } = process.env.SOAK_RATE
  ? { rate: positive("SOAK_RATE", 1), source: "SOAK_RATE" }
  : halfOfR1(resultsDir);
const RATE_SOURCE = source === "SOAK_RATE" ? "SOAK_RATE" : `half of R1's median in ${source}`;
// todo-api allows 50 writes/s per user: five each keeps every user far from it, and enough
// users write at once that the rate holds while a write takes 100 ms or more.
const USERS = positive("SOAK_USERS", Math.max(3, Math.ceil(RATE / 5)));
const SAMPLE_MS = 10_000;
const WINDOW_MS = 5 * 60_000;
/** Warm-up left out of slopes and CPU: a tenth of the run, at most 5 minutes, for every life of a process. */
const WARMUP_MS = Math.min(5 * 60_000, (MINUTES * 60_000) / 10);
const totalMs = MINUTES * 60_000;
/**
 * Traced at the cloud's rate, as the bench is: the soak stands for a
 * deployment, and recording every trace (the local default) costs CPU on
 * the two shared cores that a deployment does not pay.
 */
const TRACE_SAMPLING_RATE = cloudTraceSamplingRate();

const tools = await ensureTools(repoRoot);
const stateDir = mkdtempSync(join(tmpdir(), "todo-platform-soak-"));
const logDir = join(stateDir, "logs");
let stack: Stack | undefined;
let control: ReturnType<typeof startControl> | undefined;
const mailbox = new Mailbox(stackPorts(process.env, 2300).smtp);
const clients: LiveClient[] = [];
let stopped: Promise<void> | undefined;
/** Once, whoever asks first (Ctrl-C or the end of the run); everyone else waits for the same stop. */
const stopEverything = () =>
  (stopped ??= (async () => {
    for (const c of clients) c.stop();
    control?.stop();
    await mailbox.close().catch(() => {});
    await stack?.stop();
  })());
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
  process.on(signal, async () => {
    step(`${signal}: stopping the stack (logs kept in ${logDir})`);
    await stopEverything();
    process.exit(130);
  });

let exitCode = 1;
try {
  stack = await startStack({
    repoRoot,
    stateDir,
    logDir,
    ports: stackPorts(process.env, 2300),
    tools,
    echo: false,
    watch: false,
    ephemeral: true,
    traceSamplingRate: TRACE_SAMPLING_RATE,
  });
  control = startControl(stack);
  const infoFile = join(stateDir, "stack.json");
  const databases = Object.values(SERVICE_DATABASES) as string[];
  writeFileSync(
    infoFile,
    JSON.stringify({ ...describeStack(stack, repoRoot, logDir, databases), controlUrl: control.url }, null, 2),
  );
  process.env.STACK_INFO = infoFile; // the fault suite's helpers find the stack (and its control port) by it
  await mailbox.open();
  const db = (name: string) => postgres(stack!.postgres.url(name), { max: 2, onnotice: () => {} });
  const run = {
    todo: db("todo"),
    notification: db("notification"),
    audit: db("audit"),
    mailbox,
    report: {},
    latency: {},
    seconds: FAULT_EVERY * 60,
    everyone: [],
  } as FaultRun;

  const schedule = faultSchedule(totalMs, FAULT_EVERY * 60_000, FAULT_SCENARIOS.length);
  step(
    `soak: ${MINUTES} min at ${RATE} writes/s (${RATE_SOURCE}), ${USERS} users per period, ${schedule.filter((p) => p.scenario !== null).length} faults`,
  );
  const startedAt = Date.now();
  const sampler = startSampler(stack.procs, SAMPLE_MS, startedAt);
  const pace = pacer(RATE);
  const faults: FaultRecord[] = [];
  let acknowledgedCreates = 0;
  let refused = 0;
  let pastReminders = 0;
  const untilRunTime = async (ms: number) => {
    const wait = startedAt + ms - Date.now();
    if (wait > 0) await Bun.sleep(wait); // the schedule itself, not a wait for a condition
  };
  /** What each period's checks need again at the end. */
  const checked: { record: FaultRecord; ack: Acknowledged; mine: LiveClient[] }[] = [];
  /**
   * The fault suite's checks on one period's users, while the next period's
   * load runs: what falls short here is late, not yet lost (the end counts
   * again). Their mail is kept for the end's count, but only what the checks
   * match on (recipient and subject), so the driver's memory grows slowly.
   */
  const checkPeriod = async (record: FaultRecord, ack: Acknowledged, mine: LiveClient[]) => {
    try {
      record.countsAtCheck = await verify(run, `period ${record.period}: ${record.scenario}`, ack, mine);
    } catch (err) {
      record.errorAtCheck = err instanceof Error ? err.message : String(err);
    }
    checked.push({ record, ack, mine });
    const { lost: short, duplicated } = lostAndDuplicated(
      record.countsAtCheck ? { [record.period]: record.countsAtCheck } : {},
    );
    step(
      `period ${record.period} checked: ${short} short (late until the end's count says otherwise), ${duplicated} duplicated${record.errorAtCheck ? `; ${record.errorAtCheck}` : ""}`,
    );
    const addresses = new Set(mine.map((c) => c.user.email.toLowerCase()));
    for (const mail of mailbox.received) if (mail.to.some((to) => addresses.has(to))) mail.raw = "";
  };
  /** Every period counted again once the load has ended and everything drained: what is short now is lost. */
  const countAtTheEnd = async () => {
    // The whole backlog first: each check below gives its own part two minutes, as in the fault suite.
    await eventually(
      "todo-api's outbox to drain after the load",
      async () =>
        (await run.todo`select count(*)::int as n from outbox where published_at is null`)[0]!.n === 0
          ? true
          : undefined,
      15 * 60_000,
    ).catch((err) => step(`${err instanceof Error ? err.message : String(err)}; counting anyway`));
    // Then what the consumers still have to read: a consumer that fell behind
    // under load catches up now, and what it had not reached yet is late, not
    // lost.
    const groups = sharedConsumerGroups(join(repoRoot, "dapr/subscriptions"));
    await eventually(
      `${groups.join(", ")} to catch up with their topics`,
      async () => {
        const r = await query(
          stack!.observability.prometheus,
          `sum(kafka_consumergroup_lag{consumergroup=~"${groups.join("|")}"})`,
        );
        return r.status === "success" && Number(r.data?.result[0]?.value[1]) === 0 ? true : undefined;
      },
      30 * 60_000,
    ).catch((err) => step(`${err instanceof Error ? err.message : String(err)}; counting anyway`));
    for (const { record, ack, mine } of checked.sort((a, b) => a.record.period - b.record.period)) {
      try {
        record.counts = await verify(run, `period ${record.period} at the end`, ack, mine);
      } catch (err) {
        record.error = err instanceof Error ? err.message : String(err);
      }
    }
  };
  /** A new user's client; ws-sync may be down for the previous period's fault, so it tries again for a minute. */
  const connect = async (client: LiveClient) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        return await client.start();
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await Bun.sleep(500); // ws-sync restarting: the next attempt, as a browser would
      }
    }
  };
  /**
   * The fault of a period, mid-period, once `previous` (the previous period,
   * its checks included) is done: a fault must not land on running checks.
   * Still waiting when this period's load ends: none (a fault without load tells nothing).
   */
  const injectFault = async (period: Period, record: FaultRecord, previous: Promise<void>) => {
    const scenario = period.scenario === null ? undefined : FAULT_SCENARIOS[period.scenario];
    if (!scenario || period.faultAtMs === null) return;
    await untilRunTime(period.faultAtMs);
    const ready = Date.now();
    const free = await Promise.race([previous.then(() => true), untilRunTime(period.endMs).then(() => false)]);
    record.delayedSeconds = (Date.now() - ready) / 1000;
    if (!free) {
      record.skipped = true;
      step(`period ${record.period}: ${scenario.name} skipped, the previous period's checks still run`);
      return;
    }
    record.injectedAtMin = (Date.now() - startedAt) / 60_000;
    step(`period ${record.period}: ${scenario.name}`);
    await scenario.inject();
    record.seconds = (Date.now() - ready) / 1000 - record.delayedSeconds;
  };
  /** One period: its own users and clients, its load until its end, its fault, then the fault suite's checks. */
  const runPeriod = async (period: Period, record: FaultRecord, previous: Promise<void>) => {
    const label = `soak-${period.index + 1}`;
    const people = await workloadUsers(label, USERS);
    run.everyone.push(...people.map((p) => p.id));
    const mine = people.map((p) => new LiveClient(p));
    clients.push(...mine);
    await Promise.all(mine.map(connect));
    const [ack] = await Promise.all([
      runWorkload(label, (startedAt + period.endMs - Date.now()) / 1000, people, 3, pace),
      injectFault(period, record, previous), // healed before the checks start, too
    ]);
    acknowledgedCreates += ack.created.length;
    refused += ack.failures;
    pastReminders += ack.pastReminders;
    await checkPeriod(record, ack, mine);
  };
  // Each period starts on time, whatever the previous one's fault and checks still do.
  let previous: Promise<void> = Promise.resolve();
  for (const period of schedule) {
    await untilRunTime(period.startMs);
    const record: FaultRecord = {
      period: period.index + 1,
      scenario: period.scenario === null ? "none (a last, short period)" : FAULT_SCENARIOS[period.scenario]!.name,
      injectedAtMin: Number.NaN,
      seconds: 0,
      delayedSeconds: 0,
    };
    faults.push(record);
    previous = runPeriod(period, record, previous).catch((err) => {
      record.error = err instanceof Error ? err.message : String(err);
      step(`period ${record.period} failed: ${record.error}`);
    });
  }
  await untilRunTime(totalMs);
  const series = sampler.stop(); // the slopes cover the loaded hour, not the checks after it
  step("load done; waiting for the last period's checks");
  await previous;
  step("counting every period again, now that the load has ended");
  await countAtTheEnd();
  const parked = await deadLettered(run.everyone).catch(() => [Number.NaN]);
  for (const c of clients) c.stop();
  await Promise.all([run.todo.end(), run.notification.end(), run.audit.end()]);

  const processes: Record<string, ProcessSummary> = {};
  for (const [name, samples] of series) {
    const cpu = cpuPercent(samples, WARMUP_MS, TICKS);
    processes[name] = {
      ...lastMemoryAndRestarts(samples),
      rssSlopeMbPerHour: memorySlopeMbPerHour(samples, WARMUP_MS),
      pssSlopeMbPerHour: memorySlopeMbPerHour(samples, WARMUP_MS, "pssMb"),
      cpuMeanPercent: cpu.mean,
      cpuMaxPercent: cpu.max,
    };
  }
  const latencies = clients.flatMap((c) => firstFrameLatencies(c.arrivals, startedAt));
  const { lost, duplicated } = lostAndDuplicated(Object.fromEntries(faults.map((f) => [f.period, f.counts ?? {}])));
  const { lost: lateAtCheck } = lostAndDuplicated(
    Object.fromEntries(faults.map((f) => [f.period, f.countsAtCheck ?? {}])),
  );
  const deadLetters = parked.reduce((a, b) => a + b, 0);
  const checkErrors = faults.filter((f) => f.error).length;
  const date = runDate(new Date(startedAt));
  const { md, base } = writeSoakReport(resultsDir, {
    date,
    smoke: MINUTES < 60,
    machine: machine(),
    versions: stack.versions,
    settings: {
      minutes: MINUTES,
      faultEveryMinutes: FAULT_EVERY,
      writesPerSecond: RATE,
      rateSource: RATE_SOURCE,
      usersPerPeriod: USERS,
      warmupMinutes: WARMUP_MS / 60_000,
      sampleSeconds: SAMPLE_MS / 1000,
      windowMinutes: WINDOW_MS / 60_000,
      traceSamplingRate: TRACE_SAMPLING_RATE,
    },
    writes: {
      attempted: pace.calls,
      perSecond: pace.calls / (totalMs / 1000), // no period's load runs past the scheduled end
      acknowledgedCreates,
      refused,
      pastReminders,
    },
    faults,
    effects: { lost, duplicated, deadLettered: deadLetters, checkErrors, lateAtCheck },
    processes,
    latency: windowedLatency(latencies, totalMs, WINDOW_MS),
    samples: Object.fromEntries(series),
  });
  console.log(md);
  step(`report: bench/results/${base}.md and .json`);
  exitCode = lost === 0 && duplicated === 0 && deadLetters === 0 && checkErrors === 0 ? 0 : 1;
  if (exitCode)
    step(
      `FAILED: ${lost} lost, ${duplicated} duplicated, ${deadLetters} dead-lettered, ${checkErrors} checks failed to run`,
    );
} catch (err) {
  console.error(err instanceof Error ? err.stack : err);
} finally {
  step("stopping the stack");
  await stopEverything();
  // The data goes; the logs stay either way: a passing hour can still show a window worth explaining
  // (2026-12-03T0436: a 165 s p99 after a broker restart, with nothing left to read).
  for (const entry of readdirSync(stateDir))
    if (entry !== "logs") rmSync(join(stateDir, entry), { recursive: true, force: true });
  const logMb = readdirSync(logDir).reduce((sum, f) => sum + statSync(join(logDir, f)).size, 0) / 2 ** 20;
  step(`logs of every process kept in ${logDir} (${logMb.toFixed(0)} MB; delete it when done)`);
}
process.exit(exitCode);
