// The README's Argo CD steps ("Deploying"), run against a sync cluster
// (infra/delivery/sync-cluster.ts), and what the sync tests wait for.
import { afterAll, beforeAll } from "bun:test";
import { join } from "node:path";
import { argoInstallManifest } from "../../../infra/delivery/argocd.ts";
import { startSyncCluster, type SyncCluster } from "../../../infra/delivery/sync-cluster.ts";
import { kubeInfo } from "./kube.ts";

export interface App {
  metadata: { name: string; creationTimestamp: string; annotations?: Record<string, string> };
  status?: {
    sync?: { status: string };
    health?: { status: string };
    history?: { deployStartedAt: string; deployedAt: string }[];
    resources?: { group?: string; kind: string; namespace?: string; name: string }[];
    operationState?: {
      phase: string;
      message: string;
      syncResult?: { resources?: { name: string; message: string }[] };
    };
  };
}

/** A sync cluster for one test file, its logs under the tier's log directory. */
export function startCluster(name: string): Promise<SyncCluster> {
  const info = kubeInfo();
  return startSyncCluster(info.bins, info.logDir, name);
}

/**
 * Installs Argo CD and the settings the app of apps relies on, as the README
 * does: the install manifest (its pods are kwok's fakes; Argo CD itself runs
 * as host processes started here), `gitops/apps/argocd`, the controller
 * restart, and the wait for the `default` project, so that the root's first
 * automated sync does not fail on a missing project (Argo CD would not retry
 * that revision).
 */
export async function installArgoCd(c: SyncCluster): Promise<void> {
  const k = c.mustKubectl;
  k(["create", "namespace", "argocd"]);
  k(["apply", "-n", "argocd", "--server-side", "-f", argoInstallManifest()]);
  k([
    "-n",
    "argocd",
    "rollout",
    "status",
    "deploy/argocd-repo-server",
    "deploy/argocd-applicationset-controller",
    "--timeout=120s",
  ]);
  const argocd = await c.startArgoCd();
  k(["apply", "-k", join(c.git.clone, "gitops/apps/argocd")]);
  k(["-n", "argocd", "rollout", "restart", "statefulset/argocd-application-controller"]);
  await argocd.restartController();
  k(["-n", "argocd", "wait", "--for=create", "appproject/default", "--timeout=300s"]);
}

export type ArgocdCli = (args: string[]) => Promise<{ ok: boolean; out: string }>;

/**
 * The `argocd` CLI, logged in to the host API server as admin (the README's
 * `argocd login --core` reaches Argo CD through its pods). Asynchronous: the
 * simulated operators are started from this process's event loop.
 */
export async function argocdCli(c: SyncCluster): Promise<ArgocdCli> {
  const bin = join(c.bins.argocd!, "argocd");
  const config = join(c.dir, "argocd-cli.json");
  const run: ArgocdCli = async (args) => {
    const child = Bun.spawn([bin, "--config", config, ...args], { stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    return { ok: code === 0, out: `${out}${err}`.trim() };
  };
  const password = Buffer.from(
    c.mustKubectl(["-n", "argocd", "get", "secret", "argocd-initial-admin-secret", "-o", "jsonpath={.data.password}"]),
    "base64",
  ).toString();
  const login = await run(["login", c.argocd!.server, "--plaintext", "--username", "admin", "--password", password]);
  if (!login.ok) throw new Error(`argocd login failed: ${login.out}`);
  return run;
}

export function applications(c: SyncCluster): App[] {
  return JSON.parse(c.mustKubectl(["-n", "argocd", "get", "applications.argoproj.io", "-o", "json"])).items;
}

/** Polls until `check` holds, failing at the deadline with what `describe` says then. */
export async function waitUntil(what: string, check: () => boolean, timeoutMs: number, describe: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}:\n${describe()}`);
    await Bun.sleep(2000);
  }
}

export const summary = (apps: App[]) =>
  apps.map((a) => `${a.metadata.name}: ${a.status?.sync?.status}/${a.status?.health?.status}`).join(", ");

/** Every Application Synced and Healthy (the `names` all present). */
export function allSyncedAndHealthy(c: SyncCluster, names: string[]): boolean {
  const apps = applications(c);
  return (
    names.every((n) => apps.some((a) => a.metadata.name === n)) &&
    apps.every((a) => a.status?.sync?.status === "Synced" && a.status?.health?.status === "Healthy")
  );
}

/** Waits until exactly `names` exist, every one Synced and Healthy. */
export async function waitAllSyncedAndHealthy(c: SyncCluster, names: string[], timeoutMs: number): Promise<void> {
  await waitUntil(
    "every Application Synced and Healthy",
    () => allSyncedAndHealthy(c, names),
    timeoutMs,
    () => summary(applications(c)),
  );
  const present = applications(c).map((a) => a.metadata.name);
  if (present.sort().join() !== [...names].sort().join())
    throw new Error(`Applications ${present.join(", ")}; expected ${names.join(", ")}`);
}

export const wave = (a: App) => Number(a.metadata.annotations?.["argocd.argoproj.io/sync-wave"] ?? "0");

export interface SyncFixture {
  /** The cluster, once beforeAll has run. */
  cluster(): SyncCluster;
  /** Wraps a test body: when it throws, the cluster's logs are kept. */
  keepLogsOnFailure(body: () => Promise<void> | void): () => Promise<void>;
}

/**
 * The test file's cluster: started, Argo CD installed and the root (`root`,
 * a file of gitops/apps/roots) applied before its tests, stopped after them.
 */
export function syncFixture(name: string, root: string): SyncFixture {
  let c: SyncCluster | undefined;
  let failed = false;
  beforeAll(async () => {
    try {
      c = await startCluster(name);
      await installArgoCd(c);
      c.mustKubectl(["apply", "-f", join(c.git.clone, root)]);
    } catch (err) {
      failed = true;
      throw err;
    }
  }, 600_000);
  afterAll(async () => {
    await c?.stop(failed);
  }, 120_000);
  return {
    cluster: () => c!,
    keepLogsOnFailure: (body) => async () => {
      try {
        await body();
      } catch (err) {
        failed = true;
        throw err;
      }
    },
  };
}
