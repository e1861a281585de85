// Samples every process of the stack (each with its descendants, as in the
// bench's footprint table) every `everyMs` until stopped: RSS, PSS and CPU ticks,
// keyed by the launcher's process name. A restarted process keeps its name
// and shows up with a new pid.
import { sampleTree, snapshot } from "./footprint.ts";
import type { ProcessSample } from "./soak-stats.ts";

export function startSampler(procs: Map<string, { pid: number }>, everyMs: number, startedAt: number) {
  const series = new Map<string, ProcessSample[]>();
  const sample = () => {
    const snap = snapshot();
    const t = Date.now() - startedAt;
    for (const [name, proc] of procs) {
      const tree = sampleTree(proc.pid, snap);
      if (!tree) continue; // down right now (a fault): no sample
      const samples = series.get(name) ?? [];
      samples.push({ t, pid: proc.pid, rssMb: tree.rssMb, pssMb: tree.pssMb, cpuTicks: tree.cpuTicks });
      series.set(name, samples);
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    series,
    stop() {
      clearInterval(timer);
      sample();
      return series;
    },
  };
}
