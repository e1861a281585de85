// Everything an Argo CD sync in the delivery tests needs besides Argo CD
// itself: a control plane with kube-controller-manager and kube-scheduler,
// kwok's fake node (the part Minikube's node plays), the simulated operators,
// the local Helm repository and the git source. Stops all of it, also when
// starting fails half-way or the tier is interrupted (SIGINT, SIGTERM).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { startArgoCd, type ArgoCd } from "./argocd.ts";
import { freePort, startControlPlane, type ControlPlane } from "./control-plane.ts";
import { makeGitSource, type GitSource } from "./git-source.ts";
import { buildCharts, serveHelmRepo, type ChartSource, type HelmRepo } from "./helm-repo.ts";
import { KWOK_NODE, kwokClusterObjects, kwokNode, startNodeKwok } from "./kwok.ts";
import { simulateOperators, type SimulatedOperators } from "./simulated-operators.ts";
import type { Proc } from "../stack/process.ts";
import { onStopSignal } from "../stack/signals.ts";

const repoRoot = resolve(import.meta.dir, "../..");

export interface KubectlResult {
  ok: boolean;
  out: string;
}

export interface SyncCluster {
  plane: ControlPlane;
  git: GitSource;
  helmRepo: HelmRepo;
  operators: SimulatedOperators;
  kubectl(args: string[], input?: string): KubectlResult;
  mustKubectl(args: string[], input?: string): string;
  /** Starts Argo CD's host processes (after its install manifest is applied). */
  startArgoCd(): Promise<ArgoCd>;
  argocd?: ArgoCd;
  bins: Record<string, string>;
  dir: string;
  logDir: string;
  /** Stops every process; keeps the logs (returned) when `keepLogs`. */
  stop(keepLogs: boolean): Promise<void>;
}

/** The chart sources of the platform Applications (gitops/apps/platform/<name>/application.yaml). */
export function platformCharts(): ChartSource[] {
  const dir = join(repoRoot, "gitops/apps/platform");
  return readdirSync(dir).map((name) => parse(readFileSync(join(dir, name, "application.yaml"), "utf8")).spec.source);
}

export async function startSyncCluster(bins: Record<string, string>, logRoot: string, name: string) {
  const dir = mkdtempSync(join(tmpdir(), `todo-platform-${name}-`));
  const logDir = join(logRoot, name);
  mkdirSync(logDir, { recursive: true });
  const stoppers: (() => Promise<void> | void)[] = [];
  // Each stopper once, newest first: on Ctrl-C of the tier (the test file's
  // afterAll does not run then) as well as the ordinary way.
  const stopAll = async () => {
    for (const s of stoppers.splice(0).reverse()) await s();
  };
  const unregister = onStopSignal(async () => {
    await stopAll();
    rmSync(dir, { recursive: true, force: true }); // the logs stay, as after a failed test
  });
  try {
    const plane = await startControlPlane({
      apiserverBin: bins["kube-apiserver"]!,
      etcdBin: bins.etcd!,
      controllersBin: bins["kube-controllers"],
      dir: join(dir, "plane"),
      logDir,
    });
    stoppers.push(plane.stop);
    const kubectl = (args: string[], input?: string): KubectlResult => {
      const r = spawnSync("kubectl", ["--kubeconfig", plane.kubeconfig, ...args], {
        input,
        encoding: "utf8",
        maxBuffer: 64 << 20,
      });
      return { ok: r.status === 0, out: `${r.stdout}${r.stderr}`.trim() };
    };
    const mustKubectl = (args: string[], input?: string) => {
      const r = kubectl(args, input);
      if (!r.ok) throw new Error(`kubectl ${args.join(" ")} failed:\n${r.out}`);
      return r.out;
    };

    const kwokBin = bins.kwok!;
    const kwok: Proc = startNodeKwok({ kwokBin, kubeconfig: plane.kubeconfig, dir, logDir });
    stoppers.push(() => kwok.stop());
    mustKubectl(["apply", "-f", "-"], [kwokNode(), ...kwokClusterObjects()].map((o) => stringify(o)).join("---\n"));
    mustKubectl(["wait", "--for=condition=Ready", `node/${KWOK_NODE}`, "--timeout=60s"]);

    const operators = simulateOperators({
      kwokBin,
      kubeconfig: plane.kubeconfig,
      server: plane.server,
      token: plane.token,
      dir,
      logDir,
    });
    stoppers.push(operators.stop);

    const charts = platformCharts();
    const helmDir = join(dir, "charts");
    const helmPort = await freePort();
    buildCharts(bins.helm!, charts, helmDir, `http://127.0.0.1:${helmPort}/`);
    const helmRepo = await serveHelmRepo(helmDir, helmPort, logDir);
    stoppers.push(helmRepo.stop);

    // Every chart repository points at the local one; Strimzi's OCI registry
    // becomes a plain Helm repository there (its repository Secret too).
    const git = makeGitSource(join(dir, "git"), [
      ...charts.map((c) => [c.repoURL, helmRepo.url] as [string, string]),
      ['enableOCI: "true"', 'enableOCI: "false"'],
    ]);

    const cluster: SyncCluster = {
      plane,
      git,
      helmRepo,
      operators,
      kubectl,
      mustKubectl,
      bins,
      dir,
      logDir,
      async startArgoCd() {
        const argocd = await startArgoCd({
          argocdBin: bins.argocd!,
          toolBins: [bins.helm!, bins.kustomize!],
          kubeconfig: plane.kubeconfig,
          dir: join(dir, "argocd"),
          logDir,
        });
        stoppers.push(argocd.stop);
        cluster.argocd = argocd;
        return argocd;
      },
      async stop(keepLogs) {
        unregister();
        await stopAll();
        rmSync(dir, { recursive: true, force: true });
        if (!keepLogs) rmSync(logDir, { recursive: true, force: true });
      },
    };
    return cluster;
  } catch (err) {
    unregister();
    await stopAll();
    throw err;
  }
}
