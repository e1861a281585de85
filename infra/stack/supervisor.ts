// The launcher's processes: which are running (kept in <stateDir>/pids.json,
// so a launcher that was killed outright can be cleaned up after), bringing a
// crashed one back as Kubernetes would, and stopping them all in an order
// that lets the apps drain.
import type { AppId } from "@todo/shared";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseReplica, SERVICE_ORDER } from "./ports.ts";
import { type Proc, step } from "./process.ts";

export interface Supervisor {
  procs: Map<string, Proc>;
  /** Records a started process (replacing an earlier one of its name). */
  track(proc: Proc): Proc;
  /** An `onCrash` handler: runs `start` again after 1 s, doubling per crash of it up to 30 s; never once stopping. */
  restartLater(start: () => Promise<void>): () => void;
  /** Apps first (they drain through their sidecars), then sidecars, then infrastructure, newest first. */
  stop(): Promise<void>;
}

export function supervise(stateDir: string): Supervisor {
  const procs = new Map<string, Proc>();
  const pidFile = join(stateDir, "pids.json");
  let stopping = false;
  const crashes = new Map<() => Promise<void>, number>();
  return {
    procs,
    track(proc) {
      procs.set(proc.name, proc);
      writeFileSync(pidFile, JSON.stringify([...procs.values()].map((p) => ({ pid: p.pid, name: p.name }))));
      return proc;
    },
    restartLater: (start) => () => {
      if (stopping) return;
      const n = crashes.get(start) ?? 0;
      crashes.set(start, n + 1);
      setTimeout(() => void start().catch(() => {}), Math.min(30_000, 1000 * 2 ** Math.min(n, 5)));
    },
    async stop() {
      stopping = true;
      const order = [...procs.values()].reverse();
      const apps = order.filter((p) => SERVICE_ORDER.includes(p.name as AppId) || parseReplica(p.name) !== undefined);
      const sidecars = order.filter((p) => p.name.endsWith("-dapr"));
      await Promise.all(apps.map((p) => p.stop()));
      await Promise.all(sidecars.map((p) => p.stop()));
      for (const p of order.filter((p) => !apps.includes(p) && !sidecars.includes(p))) await p.stop();
    },
  };
}

/** Ends processes a previous launcher on this state directory left behind when it was killed outright. */
export async function killLeftovers(stateDir: string) {
  const file = join(stateDir, "pids.json");
  if (!existsSync(file)) return;
  const pids = JSON.parse(readFileSync(file, "utf8")) as { pid: number; name: string }[];
  // Only processes that are still ours: a recycled pid must not be killed.
  const alive = pids.filter(({ pid }) => {
    try {
      return /daprd|scheduler|sentry|kafka\.Kafka|LagExporter|prometheus|zipkin|postgres|bun/.test(
        readFileSync(`/proc/${pid}/cmdline`, "utf8"),
      );
    } catch {
      return false;
    }
  });
  for (const { pid } of alive) process.kill(pid, "SIGKILL");
  if (alive.length)
    step(`stopped ${alive.length} process(es) left over from an earlier run: ${alive.map((p) => p.name).join(", ")}`);
  await Bun.sleep(alive.length ? 500 : 0);
}
