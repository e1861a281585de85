// `bun run capacity [results.json [r5-results.json]]`: recomputes the
// capacity model (bench/capacity-model.ts) from a bench run's results and the
// cloud settings in gitops/, and writes bench/results/capacity.md. R5 (the
// consumers) may come from a later run of its own (`BENCH_ONLY=r5`, its
// results committed as <date>-r5.json). Without arguments: the newest full
// run, and R5 from the newest run that has it. Each input names the run it
// comes from, so the model moves when the figures or the settings do.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import { APP_IDS, TOPICS } from "@todo/shared";
import { capacityLimits, type ConsumerInput, type ModelInputs } from "./capacity-model.ts";
import type { ConsumerRun, Work } from "./consumers.ts";
import type { Footprint } from "./footprint.ts";
import type { BenchRun } from "./run-model.ts";

const repoRoot = resolve(import.meta.dir, "..");
const resultsDir = join(repoRoot, "bench/results");
/** The cloud steps in the README create every topic with 6 partitions. */
const CLOUD_PARTITIONS = 6;
/** An assumption, not a measurement: a small managed Postgres tier. */
const DATABASE_VCPUS = Number(process.env.CAPACITY_DATABASE_VCPUS ?? 2);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

/** The newest committed run whose name matches (newest first by its date), and has what `has` asks. */
function newest(pattern: RegExp, has: (run: BenchRun) => boolean, what: string): string {
  const names = readdirSync(resultsDir)
    .filter((n) => pattern.test(n))
    .sort()
    .reverse();
  for (const n of names)
    if (has(JSON.parse(readFileSync(join(resultsDir, n), "utf8")) as BenchRun)) return join(resultsDir, n);
  throw new Error(`no ${what} in bench/results: run \`bun run bench\` first`);
}
const FULL_RUN = /^\d{4}-\d\d-\d\dT\d{4}\.json$/;
const newestFull = () => newest(FULL_RUN, (run) => run.figures?.length > 0, "full bench run");
const newestWithR5 = () =>
  newest(/^\d{4}-\d\d-\d\dT\d{4}(-r5)?\.json$/, (run) => (run.r5?.length ?? 0) > 0, "bench run with R5");

/** The YAML documents of a file under the repository. */
const docs = (path: string) =>
  parseAllDocuments(readFileSync(join(repoRoot, path), "utf8")).map((d) => d.toJS() as Record<string, any>);

/** The share of traces the cloud records (its tracing patch of every Dapr Configuration). */
export function cloudTraceSamplingRate(): number {
  const patch = docs("gitops/envs/cloud/base/tracing.yaml").flat();
  const rate = Number(patch.find((op) => op.path === "/spec/tracing")?.value?.samplingRate);
  if (!(rate >= 0 && rate <= 1)) throw new Error("no samplingRate in gitops/envs/cloud/base/tracing.yaml");
  return rate;
}

function cloudSettings() {
  const scaling = docs("gitops/envs/cloud/base/autoscaling.yaml");
  const max = (name: string) => {
    const doc = scaling.find((d) => d.metadata?.name === name);
    return Number(doc?.spec?.maxReplicas ?? doc?.spec?.maxReplicaCount ?? 1);
  };
  const cores = (q: string) => (q.endsWith("m") ? Number(q.slice(0, -1)) / 1000 : Number(q));
  const hardening = readFileSync(join(repoRoot, "gitops/base/components/hardening/deployment.yaml"), "utf8");
  const sidecar = readFileSync(join(repoRoot, "gitops/base/components/dapr-sidecar/deployment.yaml"), "utf8");
  return {
    partitions: CLOUD_PARTITIONS,
    todoApiMaxReplicas: max(APP_IDS.todoApi),
    consumerMaxReplicas: Object.fromEntries(
      [APP_IDS.auditLog, APP_IDS.recurring, APP_IDS.notification, APP_IDS.wsSync].map((s) => [s, max(s)]),
    ),
    appCpuLimit: cores(hardening.match(/limits:\s*\{\s*cpu:\s*([\d.]+m?)/)?.[1] ?? "0.5"),
    sidecarCpuLimit: cores(sidecar.match(/sidecar-cpu-limit:\s*([\d.]+m?)/)?.[1] ?? "0.5"),
    databaseVcpus: DATABASE_VCPUS,
  };
}

export function modelInputs(run: BenchRun): ModelInputs {
  const load = (run.footprint as Record<string, Record<string, Footprint>>).load ?? {};
  // The load footprint is taken in round 1, at that round's best concurrency.
  const creates = run.figures[0]?.runs[0] ?? NaN;
  // A write's own cost: core-ms per create above each process's idle rate
  // (the relay's sweeps and the like are paid per replica, not per write),
  // the median of the rounds; runs before that figure existed fall back to
  // the load footprint's share of a core divided by round 1's creates/s.
  const coreMsPerCreate = (name: string) =>
    run.cpuPerWrite?.length
      ? median(run.cpuPerWrite.map((c) => c.perProcessAboveIdle[name] ?? NaN))
      : ((load[name]?.cpuPercent ?? NaN) * 10) / creates;
  const r5 = run.r5 ?? [];
  const consumer = (
    service: string,
    topic: string,
    eventsPerWrite: number,
    fanOut: boolean,
    work: Work = "created",
  ): ConsumerInput => {
    const of = (spread: ConsumerRun["spread"]) =>
      r5.filter((r) => r.service === service && r.spread === spread && (r.work ?? "created") === work);
    const spread = of("spread");
    return {
      service,
      topic,
      ...(work === "created" ? {} : { work: "completions" }),
      perReplica: median(spread.map((r) => r.perSecond)),
      perPartition: median(of("one partition").map((r) => r.perSecond)),
      appCoreMs: median(spread.map((r) => r.appCoreMsPerEvent)),
      sidecarCoreMs: median(spread.map((r) => r.sidecarCoreMsPerEvent)),
      eventsPerWrite,
      fanOut,
    };
  };
  return {
    todoApi: {
      measuredCreatesPerSecond: median(run.figures[0]?.runs ?? []),
      appCoreMs: coreMsPerCreate(APP_IDS.todoApi),
      sidecarCoreMs: coreMsPerCreate(`${APP_IDS.todoApi}-dapr`),
    },
    postgresCoreMsPerWrite: coreMsPerCreate("postgres"),
    consumers: [
      consumer(APP_IDS.auditLog, TOPICS.taskEvents, 1, false),
      consumer(APP_IDS.recurring, TOPICS.taskEvents, 1, false),
      // Worst case, stated in the report: every write completes a recurring task.
      consumer(APP_IDS.recurring, TOPICS.taskEvents, 1, false, "completed recurring"),
      consumer(APP_IDS.wsSync, TOPICS.taskUpdates, 1, true),
      // Worst case, stated in the report: every write sets a reminder that fires.
      consumer(APP_IDS.notification, TOPICS.reminders, 1, false),
    ],
    cloud: cloudSettings(),
  };
}

export function capacityReport(run: BenchRun, source: string, r5Source = source): string {
  const m = modelInputs(run);
  const limits = capacityLimits(m);
  const f = (x: number) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(2)) : "—");
  const first = limits[0]!;
  return [
    `# Capacity model — from ${source}`,
    "",
    "Recomputed by `bun run capacity` from that bench run and the cloud settings in `gitops/envs/cloud` and `gitops/base/components`. Inputs measured on one machine (every process on 2 shared cores), projected to the cloud environment.",
    "",
    "## Inputs",
    "",
    "| input | value | from |",
    "|---|---|---|",
    `| todo-api creates/s at p99 < 100 ms (R1, median of the rounds) | ${f(m.todoApi.measuredCreatesPerSecond)} | ${source}, R1 |`,
    `| todo-api core-ms per create (app / sidecar) | ${f(m.todoApi.appCoreMs)} / ${f(m.todoApi.sidecarCoreMs)} | ${source}, CPU per task write above idle |`,
    `| Postgres core-ms per write (all services' queries) | ${f(m.postgresCoreMsPerWrite)} | ${source}, CPU per task write above idle |`,
    ...m.consumers.map(
      (k) =>
        `| ${k.service} (${k.topic}${k.work ? `, ${k.work}` : ""}): events/s per partition / per replica; core-ms per event app / sidecar | ${f(k.perPartition)} / ${f(k.perReplica)}; ${f(k.appCoreMs)} / ${f(k.sidecarCoreMs)} | ${r5Source}, R5 |`,
    ),
    `| cloud: partitions, todo-api max replicas, consumer max replicas | ${m.cloud.partitions}, ${m.cloud.todoApiMaxReplicas}, ${JSON.stringify(m.cloud.consumerMaxReplicas)} | README cloud steps, autoscaling.yaml |`,
    `| cloud: CPU limit app / sidecar (cores) | ${m.cloud.appCpuLimit} / ${m.cloud.sidecarCpuLimit} | hardening and dapr-sidecar components |`,
    `| database vCPUs (assumed; CAPACITY_DATABASE_VCPUS) | ${m.cloud.databaseVcpus} | assumption |`,
    "| reminders per task write | 1 | assumption: the worst case, every write sets a reminder that fires |",
    "| completions of recurring tasks per task write | 1 | assumption: the worst case, every write completes a recurring task (the soak's mix: about 1 in 4) |",
    "",
    "## Task writes/s each part sustains, lowest first",
    "",
    "| part | writes/s | because | to go further |",
    "|---|---|---|---|",
    ...limits.map((l) => `| ${l.part} | ${f(l.writesPerSecond)} | ${l.why} | ${l.next} |`),
    "",
    `**The cloud environment sustains about ${f(first.writesPerSecond)} task writes/s; ${first.part} saturates first.** Next: ${first.next}.`,
    "",
  ].join("\n");
}

/** Writes bench/results/capacity.md from a results file (and R5 from another, if given); returns the Markdown. */
export function writeCapacity(path: string, r5Path = path): string {
  const run = JSON.parse(readFileSync(path, "utf8")) as BenchRun;
  const r5 = (JSON.parse(readFileSync(r5Path, "utf8")) as BenchRun).r5;
  const md = capacityReport({ ...run, r5 }, basename(path), basename(r5Path));
  writeFileSync(join(resultsDir, "capacity.md"), md);
  return md;
}

if (import.meta.main) {
  const [base, r5] = process.argv.slice(2).map((p) => resolve(p));
  console.log(base ? writeCapacity(base, r5) : writeCapacity(newestFull(), newestWithR5()));
}
