// "Before / after": the same figures from an earlier run of the bench (its
// JSON, named by BENCH_BEFORE), beside this run's, for an optimisation. The
// ratios are the fair comparison: each is against a baseline measured in its
// own run, so a busier machine on one day cancels out.
import { existsSync, readFileSync } from "node:fs";
import { median } from "./load.ts";
import type { BenchRun, Figure } from "./run-model.ts";
import type { R3Run } from "./reminders.ts";

const fmt = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2)) : "—");
const change = (before: number, after: number) =>
  Number.isFinite(before) && Number.isFinite(after) && before !== 0
    ? `${after >= before ? "+" : ""}${(((after - before) / before) * 100).toFixed(0)} %`
    : "—";

export function beforeAfterSection(
  after: BenchRun,
  beforePath: string | undefined,
  what: string | undefined,
): string[] {
  if (!beforePath || !existsSync(beforePath)) return [];
  const before = JSON.parse(readFileSync(beforePath, "utf8")) as BenchRun;
  const rows: string[] = [];
  const figureRows = (xs: Figure[], ys: Figure[]) => {
    for (const a of ys) {
      const b = xs.find((f) => f.name === a.name);
      if (!b?.runs.length || !a.runs.length) continue;
      rows.push(
        `| ${a.name} | ${fmt(median(b.runs))} ${a.unit} | ${fmt(median(a.runs))} ${a.unit} | ${change(median(b.runs), median(a.runs))} |`,
      );
    }
  };
  figureRows(before.figures, after.figures);
  figureRows(before.ratios, after.ratios);
  figureRows(before.reads ?? [], after.reads ?? []);
  if (before.cpuPerWrite?.length && after.cpuPerWrite?.length) {
    const b = median(before.cpuPerWrite.map((r) => r.total));
    const a = median(after.cpuPerWrite.map((r) => r.total));
    rows.push(`| CPU per task write, every process | ${fmt(b)} core-ms | ${fmt(a)} core-ms | ${change(b, a)} |`);
    const bi = median(before.cpuPerWrite.map((r) => r.aboveIdle));
    const ai = median(after.cpuPerWrite.map((r) => r.aboveIdle));
    rows.push(`| CPU per task write above idle | ${fmt(bi)} core-ms | ${fmt(ai)} core-ms | ${change(bi, ai)} |`);
  }
  for (const [scenario, runs] of Object.entries(after.r3 ?? {})) {
    const earlier = (before.r3?.[scenario] ?? []) as R3Run[];
    if (!earlier.length || !runs.length) continue;
    for (const stage of ["event", "email"] as const) {
      for (const q of ["p50", "p99"] as const) {
        const b = median(earlier.map((r) => r.stages[stage][q]));
        const a = median(runs.map((r) => r.stages[stage][q]));
        rows.push(
          `| R3 ${scenario}: ${stage === "event" ? "reminders event at notification" : "email"}, ${q} lateness | ${fmt(b)} ms | ${fmt(a)} ms | ${change(b, a)} |`,
        );
      }
    }
  }
  if (!rows.length) return [];
  return [
    "## Before / after",
    "",
    `${what ?? "The change"}. Before: the run of ${before.date} (${JSON.stringify(before.settings)}); after: this run. Medians of each run's rounds.`,
    "",
    ...machineDrift(before, after),
    "| figure | before | after | change |",
    "|---|---|---|---|",
    ...rows,
    "",
  ];
}

/**
 * pgbench and Kafka's producer are untouched by any change of ours, so how far
 * they moved between the runs is how far the machine itself moved.
 */
function machineDrift(before: BenchRun, after: BenchRun): string[] {
  const moved = ["pgbench, same row and table", "kafka-producer-perf-test acks=all"].flatMap((name) => {
    const b = before.figures.find((f) => f.name === name)?.runs ?? [];
    const a = after.figures.find((f) => f.name === name)?.runs ?? [];
    return b.length && a.length ? [`${name} ${change(median(b), median(a))}`] : [];
  });
  if (!moved.length) return [];
  return [
    `The machine is shared, so absolute figures move between runs: the baselines no change of ours touches moved too (${moved.join(", ")}). Compare the ratios, which divide that drift out.`,
    "",
  ];
}
