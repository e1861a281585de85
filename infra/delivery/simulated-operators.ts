// The operators that do not run in the delivery tests (Strimzi, KEDA,
// External Secrets), each simulated by a kwok process with its Stages from
// kwok-stages/<operator>.yaml. Like the real operator, which its chart
// installs together with its CRDs, each starts once Argo CD has installed the
// CRDs its Stages watch (kwok cannot watch a resource that does not exist yet).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { Proc } from "../stack/process.ts";
import { startKwok } from "./kwok.ts";

interface StageRef {
  apiGroup: string;
  kind: string;
}

const stagesDir = join(import.meta.dir, "kwok-stages");

function refsOf(file: string): StageRef[] {
  return parseAllDocuments(readFileSync(file, "utf8"))
    .map((d) => d.toJS())
    .filter(Boolean)
    .map((s) => s.spec.resourceRef as StageRef);
}

/** Whether the API server serves every kind the Stages watch. */
async function served(server: string, token: string, refs: StageRef[]): Promise<boolean> {
  for (const ref of refs) {
    try {
      const res = await fetch(`${server}/apis/${ref.apiGroup}`, {
        headers: { authorization: `Bearer ${token}` },
        tls: { rejectUnauthorized: false },
        signal: AbortSignal.timeout(2000),
      });
      if (!res.ok) return false;
      const list = (await res.json()) as { resources: { kind: string }[] };
      if (!list.resources.some((r) => r.kind === ref.kind)) return false;
    } catch {
      return false;
    }
  }
  return true;
}

export interface SimulatedOperators {
  /** Names of the operators started so far. */
  started: string[];
  procs: Proc[];
  stop(): Promise<void>;
}

export function simulateOperators(o: {
  kwokBin: string;
  kubeconfig: string;
  server: string;
  token: string;
  dir: string;
  logDir: string;
}): SimulatedOperators {
  const pending = new Map(
    readdirSync(stagesDir)
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => [f.replace(/\.yaml$/, ""), join(stagesDir, f)] as const),
  );
  const ops: SimulatedOperators = {
    started: [],
    procs: [],
    async stop() {
      stopped = true;
      clearInterval(timer);
      for (const p of ops.procs) await p.stop();
    },
  };
  let stopped = false;
  let busy = false;
  const poll = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      for (const [name, file] of pending) {
        if (!(await served(o.server, o.token, refsOf(file))) || stopped) continue;
        pending.delete(name);
        ops.procs.push(startKwok({ ...o, name: `kwok-${name}`, stageFiles: [file] }));
        ops.started.push(name);
      }
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll(), 2000);
  return ops;
}
