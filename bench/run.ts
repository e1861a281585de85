// `bun run bench`: starts the stack on its own ports (offset 600) with
// throwaway data and measures R1 (write throughput through todo-api against
// raw Postgres, todo-api without publishing, publishing straight to the
// sidecar, and Kafka's own producer), R2 (write → WebSocket frame), R3
// (reminder lateness against setTimeout), R4 (authenticated reads against
// pgbench running the same SELECT), the warm start-up time, the footprint of
// every process, and the CPU every process spends per write under R1 load. Rounds alternate the variants; every figure
// is reported with its median and spread. Nothing here is asserted.
// R5 (what one replica of each consumer carries) feeds the capacity model
// (bench/capacity.ts). BENCH_ONLY=r3 (a comma list of r1, r2, r3, r4, r5) runs part of it while developing;
// such a run prints its table but leaves latest.md and latest.svg alone.
// BENCH_ONLY=cpu measures only the CPU per write, at BENCH_CPU_CLIENTS (default 8).
import "../infra/stack/bun-version.ts"; // first: refuse an unsupported Bun before anything starts
import { APP_IDS, PUBSUB, signToken, TOPICS } from "@todo/shared";
import { exampleTask } from "../test/support/tasks.ts";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { stackPorts } from "../infra/stack/ports.ts";
import { step } from "../infra/stack/process.ts";
import { ensureTools } from "../infra/stack/setup.ts";
import { startStack, type Stack } from "../infra/stack/stack.ts";
import { Mailbox } from "../test/support/mailbox.ts";
import { baselines } from "./baselines.ts";
import { cloudTraceSamplingRate, writeCapacity } from "./capacity.ts";
import { type ConsumerRun, consumerRounds } from "./consumers.ts";
import { footprint, perOperation, type CpuPerWrite } from "./footprint.ts";
import { machine, runDate } from "./machine.ts";
import { writeToFrame } from "./latency.ts";
import { bestUnderP99, closedLoop, median } from "./load.ts";
import { r4PgbenchScript, r4SeedSql, readFirstPage } from "./reads.ts";
import { reminderPrecision, type R3Run, type Scenario } from "./reminders.ts";
import { writeReport } from "./report.ts";
import type { Figure } from "./run-model.ts";

const repoRoot = resolve(import.meta.dir, "..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
/** The window CPU per write is measured over: longer than a level, since /proc counts in 10 ms ticks. */
const CPU_SECONDS = Number(process.env.BENCH_CPU_SECONDS ?? 10);
/** BENCH_CPU_CLIENTS fixes the window's concurrency (else R1's best), so runs on a busy machine compare. */
const CPU_CLIENTS = process.env.BENCH_CPU_CLIENTS ? Number(process.env.BENCH_CPU_CLIENTS) : undefined;
const P99_MS = 100;
const ONLY = new Set((process.env.BENCH_ONLY ?? "r1,r2,r3,r4,r5").split(",").map((s) => s.trim().toLowerCase()));
if (ONLY.has("r2")) ONLY.add("r1"); // R2's second rate is half of R1's median
const PARTIAL = !["r1", "r2", "r3", "r4", "r5"].every((r) => ONLY.has(r));

const TRACE_SAMPLING_RATE = cloudTraceSamplingRate(); // the bench runs at the rate a deployment records
const tools = await ensureTools(repoRoot);
const stateDir = mkdtempSync(join(tmpdir(), "todo-platform-bench-"));
const t0 = performance.now();
const stack: Stack = await startStack({
  repoRoot,
  stateDir,
  logDir: join(stateDir, "logs"),
  ports: stackPorts(process.env, 600), // STACK_PORT_OFFSET overrides it
  tools,
  echo: false,
  watch: false,
  // Durable Postgres (fsync on), as a deployer runs it: throwaway data, but
  // the figures must not come from settings nobody deploys. pgbench gets the same.
  ephemeral: false,
  // Traces recorded at the cloud's rate, not development's "every request".
  traceSamplingRate: TRACE_SAMPLING_RATE,
});
const startupSeconds = (performance.now() - t0) / 1000;
step(`stack ready in ${startupSeconds.toFixed(1)}s`);

try {
  const api = `http://127.0.0.1:${stack.ports.services[APP_IDS.todoApi].app}`;
  const sidecar = `http://127.0.0.1:${stack.ports.services[APP_IDS.todoApi].daprHttp}`;
  const secret = JSON.parse(readFileSync(join(repoRoot, "dapr/secrets.local.json"), "utf8"))["jwt-secret"];
  // Many users, as in real traffic: per-user locks and rate limits do not serialise the load.
  const tokens = await Promise.all(Array.from({ length: 64 }, (_, i) => signToken(secret, { sub: `bench-${i}` })));
  const createTask = (i: number) =>
    fetch(`${api}/api/tasks`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens[i % tokens.length]}`, "content-type": "application/json" },
      body: JSON.stringify({ title: `bench task ${i}`, priority: "high", tags: ["bench"] }),
    }).then(async (r) => {
      await r.arrayBuffer();
      return r.status === 201;
    });
  const publish = (i: number) =>
    fetch(
      `${sidecar}/v1.0/publish/${PUBSUB}/${TOPICS.taskUpdates}?metadata.partitionKey=bench-${i % 64}&metadata.cloudevent.id=${crypto.randomUUID()}`,
      {
        method: "POST",
        headers: { "content-type": "application/json", "dapr-api-token": stack.tokens.dapr },
        body: JSON.stringify({
          operation: "create",
          task_id: i + 1,
          task_data: exampleTask({ id: i + 1, user_id: `bench-${i % 64}`, title: `bench task ${i}` }),
          user_id: `bench-${i % 64}`,
          timestamp: new Date().toISOString(),
        }),
      },
    ).then(async (r) => {
      await r.arrayBuffer();
      return r.status === 204;
    });

  const { psql, pgbench, createTopic, kafkaProducerRate, kafkaEndToEnd } = baselines({
    stack,
    tools,
    repoRoot,
    stateDir,
    seconds: SECONDS,
  });
  /** Each variant starts with an empty outbox: a backlog would eat the CPU the next one measures. */
  const drainOutbox = async () => {
    const deadline = Date.now() + 180_000;
    while (Number((await psql("select count(*) from outbox where published_at is null")).trim()) > 0) {
      if (Date.now() > deadline) throw new Error("the outbox did not drain within 3 minutes");
      await Bun.sleep(500);
    }
  };
  // BENCH_PROFILE=<dir>: todo-api runs under Bun's CPU profiler, one profile per
  // life (written when it stops); bench/profile-shares.ts sums one up by package.
  const profileEnv: Record<string, string> = process.env.BENCH_PROFILE
    ? { BUN_OPTIONS: `--cpu-prof --cpu-prof-md --cpu-prof-dir=${resolve(process.env.BENCH_PROFILE)}` }
    : {};
  const restartTodoApi = async (env: Record<string, string>) => {
    await stack.procs.get(APP_IDS.todoApi)?.stop();
    await stack.startApp(APP_IDS.todoApi, { ...profileEnv, ...env });
  };
  if (process.env.BENCH_PROFILE) await restartTodoApi({});

  if (ONLY.has("r1")) await createTopic("bench-perf", 3);

  const figures = {
    todoApi: { name: "todo-api (row + outbox + publish)", unit: "creates/s", runs: [] as number[] },
    noPublish: { name: "todo-api, publishing off", unit: "creates/s", runs: [] as number[] },
    pgbench: { name: "pgbench, same row and table", unit: "inserts/s", runs: [] as number[] },
    sidecar: { name: "publish straight to the sidecar", unit: "publishes/s", runs: [] as number[] },
    kafka: { name: "kafka-producer-perf-test acks=all", unit: "records/s", runs: [] as number[] },
  };
  const details: unknown[] = [];
  let loadFootprint: unknown = {};
  const cpuPerWrite: CpuPerWrite[] = [];
  const idleFootprint = await footprint(stack.procs, CPU_SECONDS);
  if (ONLY.has("r1") || ONLY.has("cpu")) {
    for (let round = 1; round <= ROUNDS; round++) {
      step(`round ${round}/${ROUNDS}`);
      const full = ONLY.has("r1") ? await bestUnderP99(createTask, P99_MS, SECONDS) : null;
      if (full) figures.todoApi.runs.push(full.best?.perSecond ?? 0);
      const clients = CPU_CLIENTS ?? full?.best?.concurrency ?? 8;
      await drainOutbox();
      const [underLoad, load] = await Promise.all([
        footprint(stack.procs, CPU_SECONDS),
        closedLoop(createTask, clients, CPU_SECONDS),
      ]);
      if (round === 1) loadFootprint = underLoad;
      const cost = perOperation(underLoad, idleFootprint, CPU_SECONDS, load.requests - load.errors, clients);
      cpuPerWrite.push(cost);
      step(
        `CPU per write at ${clients} clients (${cost.writes} creates): ${cost.total.toFixed(2)} core-ms, ${cost.aboveIdle.toFixed(2)} above idle`,
      );
      await drainOutbox();
      if (!full) continue;
      figures.pgbench.runs.push(await pgbench(clients));
      await restartTodoApi({ OUTBOX_RELAY: "off" });
      const quiet = await bestUnderP99(createTask, P99_MS, SECONDS);
      figures.noPublish.runs.push(quiet.best?.perSecond ?? 0);
      // What the variant without publishing left unpublished is bench data: discard it.
      await psql("update outbox set published_at = now() where published_at is null");
      await restartTodoApi({});
      const direct = await bestUnderP99(publish, P99_MS, SECONDS);
      figures.sidecar.runs.push(direct.best?.perSecond ?? 0);
      figures.kafka.runs.push(await kafkaProducerRate("bench-perf"));
      details.push({ round, todoApi: full.tried, noPublish: quiet.tried, sidecar: direct.tried });
    }
  }
  const r2: Record<string, unknown[]> = {};
  if (ONLY.has("r2")) {
    // R2: write → WebSocket frame, open loop at 20/s and at half of R1's median, against Kafka's own end-to-end latency.
    await drainOutbox();
    await restartTodoApi({ RATE_LIMIT_BURST: "1000000", RATE_LIMIT_PER_SECOND: "1000000" }); // one user sends it all
    await createTopic("bench-e2e", 1);
    const halfRate = Math.max(20, Math.round(median(figures.todoApi.runs) / 2));
    Object.assign(r2, { "20/s": [], [`${halfRate}/s`]: [], kafka: [] });
    for (let round = 1; round <= ROUNDS; round++) {
      step(`R2 round ${round}/${ROUNDS}`);
      for (const rate of [20, halfRate]) {
        const token = await signToken(secret, { sub: `r2-${round}-${rate}` });
        r2[`${rate}/s`]!.push(
          await writeToFrame({
            api,
            wsUrl: `ws://127.0.0.1:${stack.ports.services[APP_IDS.wsSync].app}/ws`,
            token,
            logDir: join(stateDir, "logs"),
            rate,
            seconds: 10,
          }),
        );
        await drainOutbox();
      }
      r2.kafka!.push(await kafkaEndToEnd("bench-e2e"));
    }
  }
  // R3: reminder lateness, both scenarios alternating per round, against setTimeout.
  const r3: Record<Scenario, R3Run[]> = { spread: [], burst: [] };
  if (ONLY.has("r3")) {
    const mailbox = new Mailbox(stack.ports.smtp);
    await mailbox.open();
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        for (const scenario of ["spread", "burst"] as const) {
          step(`R3 ${scenario} round ${round}/${ROUNDS}`);
          await drainOutbox();
          const run = await reminderPrecision({
            api,
            secret,
            mailbox,
            logDir: join(stateDir, "logs"),
            scenario,
            tag: `${scenario}-${round}`,
            outboxPending: async () =>
              Number((await psql("select count(*) from outbox where published_at is null")).trim()),
          });
          r3[scenario].push(run);
          step(
            `R3 ${scenario}: emails ${run.stages.email.delivered}/${run.reminders}, p50 ${run.stages.email.p50} ms, p99 ${run.stages.email.p99} ms`,
          );
        }
      }
    } finally {
      await mailbox.close();
    }
  }
  const reads = {
    todoApi: { name: "todo-api GET /api/tasks?limit=20", unit: "reads/s", runs: [] as number[] },
    pgbench: { name: "pgbench, the same SELECT", unit: "selects/s", runs: [] as number[] },
  };
  const cpuPerRead: CpuPerWrite[] = [];
  if (ONLY.has("r4")) {
    await drainOutbox();
    await psql(r4SeedSql);
    // Many users reading flat out is what R4 measures, not the per-user budget.
    await restartTodoApi({ RATE_LIMIT_BURST: "1000000", RATE_LIMIT_PER_SECOND: "1000000" });
    const readScript = join(stateDir, "read.sql");
    writeFileSync(readScript, r4PgbenchScript);
    const read = await readFirstPage(api, secret);
    for (let round = 1; round <= ROUNDS; round++) {
      step(`R4 round ${round}/${ROUNDS}`);
      const best = await bestUnderP99(read, P99_MS, SECONDS, [1, 2, 4, 8, 16, 32, 64]);
      reads.todoApi.runs.push(best.best?.perSecond ?? 0);
      reads.pgbench.runs.push(await pgbench(best.best?.concurrency ?? 8, readScript));
      const clients = CPU_CLIENTS ?? best.best?.concurrency ?? 8;
      const [window, load] = await Promise.all([
        footprint(stack.procs, CPU_SECONDS),
        closedLoop(read, clients, CPU_SECONDS),
      ]);
      cpuPerRead.push(perOperation(window, idleFootprint, CPU_SECONDS, load.requests - load.errors, clients));
      step(
        `CPU per read: ${cpuPerRead.at(-1)!.total.toFixed(2)} core-ms, ${cpuPerRead.at(-1)!.aboveIdle.toFixed(2)} above idle`,
      );
      details.push({ round, reads: best.tried });
    }
  }
  // R5: each consumer's own rate and CPU, rounds of both key spreads alternating.
  const r5: ConsumerRun[] = [];
  if (ONLY.has("r5")) {
    await drainOutbox();
    r5.push(...(await consumerRounds({ api, sidecar, secret, stack, rounds: ROUNDS })));
  }
  const ratio = (name: string, a: number[], b: number[]): Figure => ({
    name,
    unit: "×",
    runs: a.map((x, i) => x / (b[i] ?? NaN)),
  });
  const ratios = [
    ratio("todo-api ÷ pgbench", figures.todoApi.runs, figures.pgbench.runs),
    ratio("todo-api ÷ todo-api without publishing", figures.todoApi.runs, figures.noPublish.runs),
    ratio("todo-api without publishing ÷ pgbench", figures.noPublish.runs, figures.pgbench.runs),
    ratio("todo-api ÷ sidecar publish", figures.todoApi.runs, figures.sidecar.runs),
    ratio("todo-api ÷ Kafka producer", figures.todoApi.runs, figures.kafka.runs),
  ];
  const readFigures = [
    ...Object.values(reads),
    ratio("todo-api reads ÷ pgbench", reads.todoApi.runs, reads.pgbench.runs),
  ].filter((f) => f.runs.length);
  const date = runDate();
  const md = writeReport(join(repoRoot, "bench/results"), {
    date,
    partial: PARTIAL,
    machine: machine(),
    versions: stack.versions,
    settings: {
      only: [...ONLY].sort(),
      rounds: ROUNDS,
      secondsPerLevel: SECONDS,
      p99BoundMs: P99_MS,
      users: 64,
      cpuSeconds: CPU_SECONDS,
      concurrencyLevels: [1, 2, 4, 8, 16, 32],
      traceSamplingRate: TRACE_SAMPLING_RATE,
    },
    figures: Object.values(figures),
    ratios,
    footprint: { idle: idleFootprint, load: loadFootprint },
    cpuPerWrite,
    cpuPerRead,
    reads: readFigures,
    startupSeconds,
    r2,
    r3,
    r5,
  });
  if (PARTIAL) {
    step(`partial run (BENCH_ONLY): results in bench/results/${date}.partial.json and bench/results/partial.md`);
  } else {
    writeFileSync(join(repoRoot, "bench/results", `${date}.details.json`), JSON.stringify(details, null, 2));
    writeCapacity(join(repoRoot, "bench/results", `${date}.json`));
    step(`results in bench/results/${date}.json, bench/results/latest.md and bench/results/capacity.md`);
  }
  console.log(md);
} finally {
  await stack.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
