// Closed-loop load: `concurrency` workers each send the next request as soon
// as the previous one answered, for `seconds`. Latencies in milliseconds.
export interface LoadResult {
  concurrency: number;
  requests: number;
  errors: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function closedLoop(
  send: (i: number) => Promise<boolean>,
  concurrency: number,
  seconds: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const ok = await send(n++).catch(() => false);
      latencies.push(performance.now() - t0);
      if (!ok) errors++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    concurrency,
    requests: latencies.length,
    errors,
    perSecond: (latencies.length - errors) / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
  };
}

/** The best throughput whose p99 stays under the bound, trying growing concurrency. */
export async function bestUnderP99(
  send: (i: number) => Promise<boolean>,
  p99Bound: number,
  seconds: number,
  levels = [1, 2, 4, 8, 16, 32],
) {
  const tried: LoadResult[] = [];
  for (const c of levels) {
    const r = await closedLoop(send, c, seconds);
    tried.push(r);
    if (r.p99 >= p99Bound || r.errors > 0) break;
  }
  const ok = tried.filter((r) => r.p99 < p99Bound && r.errors === 0);
  return { best: ok.sort((a, b) => b.perSecond - a.perSecond)[0] ?? null, tried };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
};
