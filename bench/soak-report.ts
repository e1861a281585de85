// Turns a soak run into bench/results/<date>-soak.json and .md (a run
// shorter than the default hour: <date>-soak-smoke.*, which git ignores).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Counts } from "../test/faults/verify.ts";
import type { LatencyWindow, ProcessSample } from "./soak-stats.ts";

export interface ProcessSummary {
  restarts: number;
  lastRssMb: number;
  rssSlopeMbPerHour: number;
  /** Absent from runs before 2026-12-03. */
  lastPssMb?: number;
  pssSlopeMbPerHour?: number;
  cpuMeanPercent: number;
  cpuMaxPercent: number;
}

export interface FaultRecord {
  period: number;
  scenario: string;
  /** Minutes from the start of the run. */
  injectedAtMin: number;
  /** How long injecting and healing took. */
  seconds: number;
  /** How long it waited for the previous period's checks (a fault never lands on a running check). */
  delayedSeconds: number;
  /** Not injected: the previous period's checks still ran when this period's load ended. */
  skipped?: boolean;
  /** The checks of this period's users at its check (the next period's load running), or why they could not run. */
  countsAtCheck?: Counts;
  errorAtCheck?: string;
  /** The same checks once the whole run's load ended and everything drained, or why they could not run. */
  counts?: Counts;
  error?: string;
}

export interface SoakRun {
  date: string;
  smoke: boolean;
  machine: Record<string, unknown>;
  versions: Record<string, string>;
  settings: {
    minutes: number;
    faultEveryMinutes: number;
    writesPerSecond: number;
    rateSource: string;
    usersPerPeriod: number;
    warmupMinutes: number;
    sampleSeconds: number;
    windowMinutes: number;
    /** The share of traces recorded (the cloud's rate). */
    traceSamplingRate: number;
  };
  writes: { attempted: number; perSecond: number; acknowledgedCreates: number; refused: number; pastReminders: number };
  faults: FaultRecord[];
  /** From the counts at the end; lateAtCheck: what fell short at the periods' own checks but not at the end. */
  effects: { lost: number; duplicated: number; deadLettered: number; checkErrors: number; lateAtCheck: number };
  processes: Record<string, ProcessSummary>;
  latency: LatencyWindow[];
  samples: Record<string, ProcessSample[]>;
}

const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : "—");

/** Writes the run's files; returns the Markdown and the base name. */
export function writeSoakReport(dir: string, run: SoakRun): { md: string; base: string } {
  const base = `${run.date}-soak${run.smoke ? "-smoke" : ""}`;
  writeFileSync(join(dir, `${base}.json`), JSON.stringify(run, null, 2));
  const s = run.settings;
  const e = run.effects;
  const md = [
    `# Soak${run.smoke ? " (smoke run, not a soak result)" : ""} — ${run.date}`,
    "",
    `Machine: ${JSON.stringify(run.machine)}. Versions: ${JSON.stringify(run.versions)}.`,
    `${s.minutes} min of the fault suite's write mix at ${fmt(s.writesPerSecond)} writes/s (${s.rateSource}), ${s.usersPerPeriod} new users with a WebSocket client each per period, one fault every ${s.faultEveryMinutes} min rotating through the fault suite's scenarios. Traces recorded at ${s.traceSamplingRate} (the cloud's rate). Samples every ${s.sampleSeconds} s; slopes and CPU after ${fmt(s.warmupMinutes)} min of warm-up per process life.`,
    "",
    `**Effects, counted once the load ended and everything drained: ${e.lost} lost, ${e.duplicated} duplicated, ${e.deadLettered} good messages dead-lettered, ${e.checkErrors} periods whose checks failed to run.** At each period's own check, with the next period's load running and the fault suite's deadlines (2 min per check), ${e.lateAtCheck} effects had not arrived yet: late, not lost.`,
    "",
    `Writes: ${run.writes.attempted} sent (${fmt(run.writes.perSecond)}/s), ${run.writes.acknowledgedCreates} creates acknowledged, ${run.writes.refused} refused while a fault lasted (not acknowledged, so nothing to check); ${run.writes.pastReminders} reminders stored after their time (a write slower than the 3 s lead: they never remind, by design, so none is expected).`,
    "",
    "## Faults and the fault suite's checks, per period",
    "",
    "| period | fault | at min | took s | waited s | check | expected | found at the period's check | found at the end |",
    "|---|---|---|---|---|---|---|---|---|",
    ...run.faults.flatMap((f) => {
      const at = f.skipped ? "skipped" : fmt(f.injectedAtMin);
      const head = `| ${f.period} | ${f.scenario} | ${at} | ${fmt(f.seconds)} | ${fmt(f.delayedSeconds)}`;
      const failed = (error: string) => `failed to run: ${error.replaceAll("|", "/").split("\n")[0]}`;
      if (f.error && f.errorAtCheck) return [`${head} | checks ${failed(f.error)} | — | — | — |`];
      const checks = Object.keys(f.counts ?? f.countsAtCheck ?? {});
      return checks.map((check) => {
        const early = f.errorAtCheck ? failed(f.errorAtCheck) : (f.countsAtCheck?.[check]?.found ?? "—");
        const end = f.error ? failed(f.error) : (f.counts?.[check]?.found ?? "—");
        const expected = f.counts?.[check]?.expected ?? f.countsAtCheck?.[check]?.expected ?? "—";
        return `${head} | ${check} | ${expected} | ${early} | ${end} |`;
      });
    }),
    "",
    "## Memory and CPU per process",
    "",
    "Each row is a process with its descendants. A slope is a least-squares fit of memory over time after warm-up; a process restarted by a fault starts a new life with its own warm-up and intercept, and its lives share the slope. RSS counts a shared page in every process that maps it (each Postgres backend counts the shared buffers it has touched); PSS splits it among them, so for a tree of processes PSS is the one to read. CPU is % of one core.",
    "",
    "| process | restarts | last RSS MB | RSS slope MB/hour | last PSS MB | PSS slope MB/hour | CPU mean % | CPU max % |",
    "|---|---|---|---|---|---|---|---|",
    ...Object.entries(run.processes).map(
      ([name, p]) =>
        `| ${name} | ${p.restarts} | ${fmt(p.lastRssMb, 0)} | ${fmt(p.rssSlopeMbPerHour)} | ${fmt(p.lastPssMb ?? NaN, 0)} | ${fmt(p.pssSlopeMbPerHour ?? NaN)} | ${fmt(p.cpuMeanPercent)} | ${fmt(p.cpuMaxPercent)} |`,
    ),
    "",
    `## Write → WebSocket frame, per ${s.windowMinutes}-minute window`,
    "",
    "From each update's timestamp (set by todo-api when it writes) to its first frame at a client; ms.",
    "",
    "| window (min) | frames | p50 | p99 | max |",
    "|---|---|---|---|---|",
    ...run.latency.map(
      (w) =>
        `| ${fmt(w.fromMs / 60_000)}–${fmt(w.toMs / 60_000)} | ${w.count} | ${fmt(w.p50, 0)} | ${fmt(w.p99, 0)} | ${fmt(w.max, 0)} |`,
    ),
    "",
  ].join("\n");
  writeFileSync(join(dir, `${base}.md`), md);
  return { md, base };
}
