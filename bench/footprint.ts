// Memory (RSS) and CPU of the stack's processes, read from /proc: CPU is the
// share of one core used between two samples.
import { readFileSync } from "node:fs";

const TICKS = 100; // USER_HZ on Linux

function sample(pid: number): { rssMb: number; cpuTicks: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rssKb = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { rssMb: rssKb / 1024, cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

export async function footprint(procs: Map<string, { pid: number }>, seconds: number) {
  const before = new Map([...procs].map(([name, p]) => [name, sample(p.pid)]));
  await Bun.sleep(seconds * 1000); // a measurement window, not a wait for a condition
  const out: Record<string, { rssMb: number; cpuPercent: number }> = {};
  for (const [name, p] of procs) {
    const a = before.get(name);
    const b = sample(p.pid);
    if (!a || !b) continue;
    out[name] = { rssMb: Math.round(b.rssMb), cpuPercent: Math.round(((b.cpuTicks - a.cpuTicks) / TICKS / seconds) * 1000) / 10 };
  }
  return out;
}
