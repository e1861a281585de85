// Memory and CPU of the stack's processes, read from /proc. Each entry is a
// process with all its descendants, so Postgres is the postmaster with every
// backend and background worker. Memory twice: RSS summed over the tree (what
// a container of its own would hold, but a tree's sum counts Postgres's shared
// buffers once per backend) and PSS (shared pages split between the processes
// that map them, so the entries add up to the machine's use; the Bun services
// and the sidecars share their binaries). CPU is the share of one core the
// tree used between two samples.
import { readdirSync, readFileSync } from "node:fs";

export const TICKS = 100; // USER_HZ on Linux

interface ProcStat {
  ppid: number;
  ticks: number; // utime + stime of the process itself
  childTicks: number; // cutime + cstime: children it has already reaped
}

function readStat(pid: number): ProcStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields after the command: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), childTicks: Number(f[13]) + Number(f[14]) };
  } catch {
    return null; // the process ended between listing and reading
  }
}

function memoryKb(pid: number): { rss: number; pss: number } {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    const field = (name: string) => Number(rollup.match(new RegExp(`^${name}:\\s+(\\d+)`, "m"))?.[1] ?? 0);
    return { rss: field("Rss"), pss: field("Pss") };
  } catch {
    return { rss: 0, pss: 0 };
  }
}

/** Every process now, and each one's children, read once per sample. */
export function snapshot() {
  const all = new Map<number, ProcStat>();
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (!stat) continue;
    all.set(pid, stat);
    children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), pid]);
  }
  return { all, children };
}

export type Snapshot = ReturnType<typeof snapshot>;

function descendants(root: number, { children }: Snapshot): number[] {
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

export interface TreeSample {
  rssMb: number;
  pssMb: number;
  cpuTicks: number;
  processes: number;
}

/**
 * A tree's CPU is its live members' own time plus what the root has reaped
 * (cutime). A backend that ends inside the window is live in the first sample
 * and reaped in the second, so the difference is still only the window's time.
 */
export function sampleTree(root: number, snap: Snapshot): TreeSample | null {
  const { all } = snap;
  const rootStat = all.get(root);
  if (!rootStat) return null;
  const tree = descendants(root, snap);
  const ticks = tree.reduce((sum, pid) => sum + (all.get(pid)?.ticks ?? 0), rootStat.childTicks);
  const memory = tree.map(memoryKb);
  const mb = (kb: number) => kb / 1024;
  return {
    rssMb: mb(memory.reduce((sum, m) => sum + m.rss, 0)),
    pssMb: mb(memory.reduce((sum, m) => sum + m.pss, 0)),
    cpuTicks: ticks,
    processes: tree.length,
  };
}

export interface Footprint {
  rssMb: number;
  pssMb: number;
  cpuPercent: number;
  processes: number;
}

export async function footprint(
  procs: Map<string, { pid: number }>,
  seconds: number,
): Promise<Record<string, Footprint>> {
  const first = snapshot();
  const before = new Map([...procs].map(([name, p]) => [name, sampleTree(p.pid, first)]));
  await Bun.sleep(seconds * 1000); // a measurement window, not a wait for a condition
  const second = snapshot();
  const out: Record<string, Footprint> = {};
  for (const [name, p] of procs) {
    const a = before.get(name);
    const b = sampleTree(p.pid, second);
    if (!a || !b) continue;
    out[name] = {
      rssMb: Math.round(b.rssMb),
      pssMb: Math.round(b.pssMb),
      cpuPercent: Math.round(((b.cpuTicks - a.cpuTicks) / TICKS / seconds) * 1000) / 10,
      processes: b.processes,
    };
  }
  return out;
}

/** CPU time (ms of one core) each named process tree has used so far; diff two readings for a window. */
export function cpuMs(procs: Map<string, { pid: number }>): Map<string, number> {
  const snap = snapshot();
  const out = new Map<string, number>();
  for (const [name, p] of procs) {
    const tree = sampleTree(p.pid, snap);
    if (tree) out.set(name, (tree.cpuTicks * 1000) / TICKS);
  }
  return out;
}
