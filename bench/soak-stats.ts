// The soak's arithmetic: how fast each process's memory grows after
// warm-up, its CPU, and write → WebSocket latency per time window.
import type { Arrival } from "../test/faults/live-client.ts";
import type { Counts } from "../test/faults/verify.ts";
import { percentile } from "./load.ts";

/** One process (with its descendants) at one sampling instant. */
export interface ProcessSample {
  /** Milliseconds since the run started. */
  t: number;
  /** The tree's root: it changes when a fault restarts the process. */
  pid: number;
  rssMb: number;
  /** Proportional set size: shared pages split among the processes that map them (Postgres's shared buffers once, not once per backend). */
  pssMb?: number;
  cpuTicks: number;
}

/** The samples of each life of the process (one per pid), each without its first `warmupMs`. */
function warmLives(samples: ProcessSample[], warmupMs: number): ProcessSample[][] {
  const lives = new Map<number, ProcessSample[]>();
  for (const s of samples) lives.set(s.pid, [...(lives.get(s.pid) ?? []), s]);
  return [...lives.values()].map((life) => life.filter((s) => s.t - life[0]!.t >= warmupMs));
}

/**
 * Memory growth in MB per hour (RSS, or PSS with `of`): least squares over the samples after warm-up.
 * A fault restarts processes, and a fresh process holds less memory than the
 * one it replaced, so each life (pid) gets its own intercept and its own
 * warm-up, and the lives share one slope (the pooled within-life fit). NaN
 * when fewer than three warm samples leave nothing to fit.
 */
export function memorySlopeMbPerHour(
  samples: ProcessSample[],
  warmupMs: number,
  of: "rssMb" | "pssMb" = "rssMb",
): number {
  const mb = (s: ProcessSample) => s[of] ?? NaN;
  let sxy = 0;
  let sxx = 0;
  let n = 0;
  for (const life of warmLives(samples, warmupMs)) {
    if (life.length < 2) continue;
    const mt = life.reduce((a, s) => a + s.t, 0) / life.length;
    const my = life.reduce((a, s) => a + mb(s), 0) / life.length;
    for (const s of life) {
      sxy += (s.t - mt) * (mb(s) - my);
      sxx += (s.t - mt) ** 2;
    }
    n += life.length;
  }
  if (n < 3 || sxx === 0) return NaN;
  return (sxy / sxx) * 3_600_000;
}

/** CPU as % of one core between consecutive warm samples of the same life: mean and highest. */
export function cpuPercent(samples: ProcessSample[], warmupMs: number, ticksPerSecond = 100) {
  const shares: number[] = [];
  for (const life of warmLives(samples, warmupMs))
    for (let i = 1; i < life.length; i++) {
      const [a, b] = [life[i - 1]!, life[i]!];
      if (b.t > a.t) shares.push(((b.cpuTicks - a.cpuTicks) / ticksPerSecond / ((b.t - a.t) / 1000)) * 100);
    }
  if (!shares.length) return { mean: NaN, max: NaN };
  return { mean: shares.reduce((a, b) => a + b, 0) / shares.length, max: Math.max(...shares) };
}

/** A process's last RSS and PSS, and how many times a fault (or a crash) gave it a new pid. */
export function lastMemoryAndRestarts(samples: ProcessSample[]) {
  return {
    lastRssMb: samples.at(-1)?.rssMb ?? NaN,
    lastPssMb: samples.at(-1)?.pssMb ?? NaN,
    restarts: Math.max(0, new Set(samples.map((s) => s.pid)).size - 1),
  };
}

export interface LatencySample {
  /** When the write happened, ms since the run started. */
  at: number;
  ms: number;
}

export interface LatencyWindow {
  fromMs: number;
  toMs: number;
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** Latency per window of `windowMs` from the run's start to `totalMs` (a window without writes has count 0). */
export function windowedLatency(samples: LatencySample[], totalMs: number, windowMs: number): LatencyWindow[] {
  const windows: LatencyWindow[] = [];
  for (let fromMs = 0; fromMs < totalMs; fromMs += windowMs) {
    const toMs = Math.min(totalMs, fromMs + windowMs);
    const inside = samples
      .filter((s) => s.at >= fromMs && s.at < toMs)
      .map((s) => s.ms)
      .sort((a, b) => a - b);
    windows.push({
      fromMs,
      toMs,
      count: inside.length,
      p50: percentile(inside, 50),
      p99: percentile(inside, 99),
      max: inside.at(-1) ?? NaN,
    });
  }
  return windows;
}

/** Each update's first frame, timed from the update's own timestamp (written by todo-api, same clock). */
export function firstFrameLatencies(arrivals: Arrival[], runStartedAt: number): LatencySample[] {
  const seen = new Set<string>();
  return arrivals.flatMap((a) => {
    const key = `${a.taskId}|${a.operation}|${a.updatedAt}`;
    if (seen.has(key)) return [];
    seen.add(key);
    const writtenAt = Date.parse(a.timestamp);
    return Number.isFinite(writtenAt) ? [{ at: writtenAt - runStartedAt, ms: a.at - writtenAt }] : [];
  });
}

/**
 * The fault suite's counts (expected against found, per check) as effects
 * lost and duplicated: found below expected is lost (a check that timed out
 * reports -1, so all of it), found above is duplicated.
 */
export function lostAndDuplicated(report: Record<string, Counts>) {
  let lost = 0;
  let duplicated = 0;
  for (const checks of Object.values(report))
    for (const { expected, found } of Object.values(checks)) {
      lost += Math.max(0, expected - Math.max(0, found));
      duplicated += Math.max(0, found - expected);
    }
  return { lost, duplicated };
}
