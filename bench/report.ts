// Turns a bench run into bench/results/<date>.json, latest.md and latest.svg;
// a partial run (BENCH_ONLY) into <date>.partial.json and partial.md, which git ignores.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAfterSection } from "./compare.ts";
import { r5Section } from "./consumers.ts";
import type { BenchRun, Figure } from "./run-model.ts";
import type { R3Run, StagePrecision } from "./reminders.ts";
import type { CpuPerWrite, Footprint } from "./footprint.ts";

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)] ?? NaN, min: s[0] ?? NaN, max: s.at(-1) ?? NaN };
};
const fmt = (x: number) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(2)) : "—");

type Stage = { p50: number; p99: number; max: number };
type R2Run = {
  rate: number;
  writes: number;
  delivered: number;
  total: Stage;
  commit: Stage;
  toConsumer: Stage;
  toFrame: Stage;
};

/** Writes the run's files; returns the Markdown. */
export function writeReport(dir: string, run: BenchRun): string {
  writeFileSync(join(dir, run.partial ? `${run.date}.partial.json` : `${run.date}.json`), JSON.stringify(run, null, 2));
  const row = (f: Figure) => {
    const s = stats(f.runs);
    return `| ${f.name} | ${fmt(s.median)} ${f.unit} | ${fmt(s.min)} – ${fmt(s.max)} | ${f.runs.map(fmt).join(", ")} |`;
  };
  const fp = run.footprint as Record<string, Record<string, Footprint>>;
  const names = Object.keys(fp.idle ?? {});
  const cells = (f: Footprint | undefined) => (f ? `${f.rssMb} | ${f.pssMb ?? "—"} | ${f.cpuPercent}` : "— | — | —");
  const md = [
    `# Benchmarks — ${run.date}`,
    "",
    `Machine: ${JSON.stringify(run.machine)}. Versions: ${JSON.stringify(run.versions)}.`,
    `Settings: ${JSON.stringify(run.settings)}. Every figure is the median of the rounds, with its spread; rounds alternate the variants.`,
    "",
    ...(run.figures.some((f) => f.runs.length) ? r1Section(run, row) : []),
    ...(Object.keys(run.r2).length ? r2Section(run) : []),
    ...(Object.values(run.r3).some((rs) => rs.length) ? r3Section(run.r3) : []),
    ...(run.reads?.length ? r4Section(run.reads, row) : []),
    ...(run.cpuPerWrite?.length ? cpuSection("task write under R1 load", run.cpuPerWrite) : []),
    ...(run.cpuPerRead?.length ? cpuSection("R4 read (`GET /api/tasks?limit=20`)", run.cpuPerRead) : []),
    ...(run.r5?.length ? r5Section(run.r5, (xs) => stats(xs).median) : []),
    ...beforeAfterSection(run, process.env.BENCH_BEFORE, process.env.BENCH_BEFORE_WHAT),
    `## Start-up (warm caches): ${fmt(run.startupSeconds)} s until every service and sidecar is ready`,
    "",
    "## Footprint, idle and under R1 load",
    "",
    "Each row is a process with its descendants (Postgres: the postmaster, its backends and workers). RSS MB is summed over them, as separate containers would hold it; PSS MB splits shared pages between the processes that map them, so PSS adds up to what the machine spends (the Bun services share one binary, the sidecars another). CPU is % of one core.",
    "",
    "| process | processes | idle RSS | idle PSS | idle CPU | load RSS | load PSS | load CPU |",
    "|---|---|---|---|---|---|---|---|",
    ...names.map(
      (n) =>
        `| ${n} | ${fp.load?.[n]?.processes ?? fp.idle?.[n]?.processes ?? "—"} | ${cells(fp.idle?.[n])} | ${cells(fp.load?.[n])} |`,
    ),
    "",
    ...(run.partial ? [] : ["![R1 throughput](latest.svg)", ""]),
  ].join("\n");
  if (run.partial) {
    writeFileSync(join(dir, "partial.md"), md);
  } else {
    writeFileSync(join(dir, "latest.md"), md);
    writeFileSync(join(dir, "latest.svg"), chart(run.figures));
  }
  return md;
}

function r1Section(run: BenchRun, row: (f: Figure) => string): string[] {
  return [
    "## R1 write throughput (creates/s at the highest load where p99 < 100 ms)",
    "",
    "| variant | median | spread (min – max) | rounds |",
    "|---|---|---|---|",
    ...run.figures.map(row),
    "",
    "| ratio | median | spread | rounds |",
    "|---|---|---|---|",
    ...run.ratios.map(row),
    "",
  ];
}

function r4Section(reads: Figure[], row: (f: Figure) => string): string[] {
  return [
    "## R4 authenticated reads (`GET /api/tasks?limit=20`/s at the highest load where p99 < 100 ms)",
    "",
    "64 users with 40 tasks each; pgbench runs the SELECT todo-api sends for that page, at the same concurrency.",
    "",
    "| figure | median | spread (min – max) | rounds |",
    "|---|---|---|---|",
    ...reads.map(row),
    "",
  ];
}

/** Core-ms per create under R1 load, per process and summed: what a write costs the stack, wherever it runs. */
function cpuSection(what: string, rounds: CpuPerWrite[]): string[] {
  const names = Object.keys(rounds[0]!.perProcess);
  const cell = (xs: number[]) => {
    const s = stats(xs);
    return rounds.length > 1 ? `${fmt(s.median)} (${fmt(s.min)} – ${fmt(s.max)})` : fmt(s.median);
  };
  return [
    `## CPU per ${what} (core-ms ÷ operations)`,
    "",
    `Closed loop at the best concurrency under the p99 bound, or BENCH_CPU_CLIENTS (${rounds.map((r) => r.clients).join(", ")} clients), every process of the stack read from /proc over the window; ${rounds.map((r) => r.writes).join(", ")} operations. A write's figure includes what its events cost downstream (relay, sidecars, Kafka, consumers) while the load ran. *Above idle* takes off what each process spent idle over as long a window (measured at the start), so it stays comparable when a busy machine lets fewer writes through. Median of the rounds (min – max).`,
    "",
    "| process | core-ms per operation | above idle |",
    "|---|---|---|",
    `| **every process of the stack** | **${cell(rounds.map((r) => r.total))}** | **${cell(rounds.map((r) => r.aboveIdle))}** |`,
    ...names
      .map((n) => ({
        n,
        xs: rounds.map((r) => r.perProcess[n] ?? 0),
        above: rounds.map((r) => r.perProcessAboveIdle[n] ?? 0),
      }))
      .sort((a, b) => stats(b.xs).median - stats(a.xs).median)
      .map(({ n, xs, above }) => `| ${n} | ${cell(xs)} | ${cell(above)} |`),
    "",
  ];
}

function r2Section(run: BenchRun): string[] {
  return [
    "## R2 write → WebSocket frame (open loop, one user; medians of the rounds, ms)",
    "",
    "| rate | delivered | total p50 | total p99 | total max | request → committed (p50 / p99) | committed → ws-sync handled (p50 / p99) | handled → frame (p50 / p99) |",
    "|---|---|---|---|---|---|---|---|",
    ...Object.entries(run.r2)
      .filter(([k]) => k !== "kafka")
      .map(([rate, runs]) => {
        const rs = runs as R2Run[];
        const m = (f: (r: R2Run) => number) => fmt(stats(rs.map(f)).median);
        return `| ${rate} | ${rs.map((r) => `${r.delivered}/${r.writes}`).join(", ")} | ${m((r) => r.total.p50)} | ${m((r) => r.total.p99)} | ${m((r) => r.total.max)} | ${m((r) => r.commit.p50)} / ${m((r) => r.commit.p99)} | ${m((r) => r.toConsumer.p50)} / ${m((r) => r.toConsumer.p99)} | ${m((r) => r.toFrame.p50)} / ${m((r) => r.toFrame.p99)} |`;
      }),
    "",
    `Baseline, Kafka's EndToEndLatency (acks=all, 700 B, same broker; it prints whole milliseconds): p50 ${fmt(stats((run.r2.kafka as Stage[]).map((k) => k.p50)).median)} ms, p99 ${fmt(stats((run.r2.kafka as Stage[]).map((k) => k.p99)).median)} ms.`,
    "",
  ];
}

const R3_STAGES: [keyof R3Run["stages"], string][] = [
  ["callback", "(a) Scheduler → todo-api job route"],
  ["event", "(b) `reminders` event at notification"],
  ["email", "(c) email at the SMTP sink"],
  ["setTimeout", "baseline: setTimeout, own Bun process"],
];

function r3Section(r3: Record<string, R3Run[]>): string[] {
  // Every lateness is in whole ms (the clocks read ms), so decimals would be noise.
  const ms = (x: number) => (Number.isFinite(x) ? String(Math.round(x)) : "—");
  /** The median of the rounds, with their spread when there is more than one. */
  const spread = (xs: number[]) => {
    const s = stats(xs);
    return xs.length > 1 ? `${ms(s.median)} (${ms(s.min)} – ${ms(s.max)})` : ms(s.median);
  };
  const rows = Object.entries(r3).flatMap(([scenario, runs]) =>
    R3_STAGES.map(([key, label]) => {
      const st = runs.map((r) => r.stages[key]);
      const delivered = runs
        .map((r, i) => `${st[i]!.delivered}/${r.reminders}${st[i]!.repeats ? ` (+${st[i]!.repeats} again)` : ""}`)
        .join(", ");
      const m = (f: (s: StagePrecision) => number) => spread(st.map(f));
      return `| ${scenario} | ${label} | ${delivered} | ${st.map((s) => s.early).join(", ")} | ${m((s) => s.min)} | ${m((s) => s.p50)} | ${m((s) => s.p99)} | ${m((s) => s.max)} |`;
    }),
  );
  const all = Object.values(r3).flat();
  const first = all[0]!;
  const rounds = Math.max(...Object.values(r3).map((rs) => rs.length));
  return [
    "## R3 reminder precision (lateness after `remind_at`, ms)",
    "",
    `${first.reminders} tasks with a reminder per scenario, created through \`POST /api/tasks\` by ${first.users} users from ${first.leadSeconds} s ahead. ` +
      `*spread*: \`remind_at\` every ${60_000 / first.reminders} ms over 60 s; *burst*: every ${1000 / first.reminders} ms within one second. ` +
      "Times are wall clock: (a) is todo-api's `called_at` as the Scheduler's call arrives, (b) notification's `event received` log line (both whole ms), " +
      "(c) when the SMTP server in the bench process took the message. The baseline keeps the same targets with `setTimeout` in a separate, otherwise idle Bun process, at the same time. " +
      `Early = arrived before its \`remind_at\`. Median of the rounds (min – max); ${rounds} round(s) per scenario, alternating.`,
    "",
    "| scenario | stage | delivered | early | min | p50 | p99 | max |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    ...Object.entries(r3).map(
      ([scenario, runs]) =>
        `${scenario}: creating the tasks took ${runs.map((r) => fmt(r.createSeconds)).join(", ")} s; every job was with the Scheduler ` +
        `${runs.map((r) => fmt(r.scheduledAheadMs / 1000)).join(", ")} s before the first \`remind_at\`.`,
    ),
    "",
  ];
}

/** A horizontal bar chart of the medians, with min–max whiskers. */
function chart(figures: Figure[]): string {
  const width = 640;
  const rowH = 34;
  const left = 230;
  const top = 30;
  const max = Math.max(...figures.map((f) => stats(f.runs).max).filter(Number.isFinite), 1);
  const x = (v: number) => left + ((width - left - 60) * v) / max;
  const rows = figures.map((f, i) => {
    const s = stats(f.runs);
    const y = top + i * rowH;
    return `<text x="${left - 8}" y="${y + 17}" text-anchor="end" font-size="12">${f.name}</text>
<rect x="${left}" y="${y + 5}" width="${Math.max(0, x(s.median) - left)}" height="18" fill="#2f4fd8"/>
<line x1="${x(s.min)}" x2="${x(s.max)}" y1="${y + 14}" y2="${y + 14}" stroke="#f0a202" stroke-width="2"/>
<text x="${x(s.median) + 6}" y="${y + 18}" font-size="11">${fmt(s.median)}</text>`;
  });
  const height = top + figures.length * rowH + 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<text x="10" y="18" font-size="13" font-weight="bold">R1: writes/s (median, min–max whisker)</text>
${rows.join("\n")}
</svg>
`;
}
