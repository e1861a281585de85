// What a soak run does when: its write rate (half of R1's sustained rate,
// from the latest full bench run), the periods with the fault each one
// injects (rotating through the fault suite's scenarios), and a pacer that
// holds the write mix to the rate.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { PUBSUB } from "@todo/shared";
import { median } from "./load.ts";

/** A full bench run's results file (not details, partial or before/after variants). */
const RESULTS_FILE = /^\d{4}-\d\d-\d\dT\d{4}\.json$/;
export const R1_FIGURE = "todo-api (row + outbox + publish)";

/** Half of R1's median creates/s in the newest full bench run under `dir`, and the file it came from. */
export function halfOfR1(dir: string): { rate: number; source: string } {
  const newest = readdirSync(dir)
    .filter((f) => RESULTS_FILE.test(f))
    .sort()
    .at(-1);
  if (!newest) throw new Error(`no bench results in ${dir}: run \`bun run bench\` first, or set SOAK_RATE`);
  const run = JSON.parse(readFileSync(join(dir, newest), "utf8")) as { figures: { name: string; runs: number[] }[] };
  const runs = run.figures.find((f) => f.name === R1_FIGURE)?.runs ?? [];
  const rate = median(runs) / 2;
  if (!Number.isFinite(rate) || rate <= 0) throw new Error(`${newest} has no R1 figure "${R1_FIGURE}": set SOAK_RATE`);
  return { rate: Math.round(rate * 10) / 10, source: newest };
}

/**
 * The consumer groups whose lag the soak waits out before its end count:
 * every app subscribing through the shared pub/sub component, whose group is
 * its app id. ws-sync's fan-out groups are per instance, and a restarted
 * instance leaves its old group's lag behind for good, so they are not waited on.
 */
export function sharedConsumerGroups(subscriptionsDir: string): string[] {
  const groups = readdirSync(subscriptionsDir)
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((f) => parseAllDocuments(readFileSync(join(subscriptionsDir, f), "utf8")).map((d) => d.toJS()))
    .filter((r) => r?.kind === "Subscription" && r.spec?.pubsubname === PUBSUB)
    .flatMap((r) => (r.scopes ?? []) as string[]);
  return [...new Set(groups)].sort();
}

export interface Period {
  index: number;
  /** Milliseconds from the start of the run. */
  startMs: number;
  endMs: number;
  /**
   * When the fault is injected: the middle of a whole period, so load runs
   * before and after it. Null for a last, shorter period that does not reach it.
   */
  faultAtMs: number | null;
  /** Index into the fault scenarios, in turn: period k injects scenario k mod n (null: no fault). */
  scenario: number | null;
}

/** The run cut into periods of `everyMs`, each with one fault; a last short period only carries load unless it reaches its middle. */
export function faultSchedule(totalMs: number, everyMs: number, scenarios: number): Period[] {
  if (!(totalMs > 0) || !(everyMs > 0) || !(scenarios > 0)) throw new Error("faultSchedule: positive numbers only");
  const periods: Period[] = [];
  for (let index = 0; index * everyMs < totalMs; index++) {
    const startMs = index * everyMs;
    const endMs = Math.min(totalMs, startMs + everyMs);
    const middle = startMs + everyMs / 2;
    const fault = middle < endMs; // else too short for a fault with load on both sides of it
    periods.push({
      index,
      startMs,
      endMs,
      faultAtMs: fault ? middle : null,
      scenario: fault ? index % scenarios : null,
    });
  }
  return periods;
}

/**
 * Spaces calls `1000 / perSecond` ms apart across every caller. A slot that
 * passed unused is not made up later: after a fault the writers do not burst.
 */
export function pacer(perSecond: number, now = () => performance.now(), sleep = (ms: number) => Bun.sleep(ms)) {
  const gap = 1000 / perSecond;
  let next = now();
  const pace = async () => {
    pace.calls++;
    const t = now();
    const slot = Math.max(next, t);
    next = slot + gap;
    if (slot > t) await sleep(slot - t);
  };
  pace.calls = 0;
  return pace;
}
