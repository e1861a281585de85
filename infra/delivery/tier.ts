// The delivery tier of `bun run test`: builds (or takes from the cache) the
// Kubernetes control plane, starts etcd and kube-apiserver on free loopback
// ports, and runs test/delivery against them and the test stack (the service
// images are built and the todo-api image runs against the stack).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { step } from "../stack/process.ts";
import { onStopSignal } from "../stack/signals.ts";
import { startControlPlane, type ControlPlane } from "./control-plane.ts";

/** Runs infra/setup/kube-tools.sh for each tool in turn (two cores: parallel Go builds only contend), returning their bin dirs. */
export async function ensureKubeTools(repoRoot: string, tools: string[]): Promise<Record<string, string>> {
  const bins: Record<string, string> = {};
  for (const tool of tools) {
    const child = Bun.spawn(["nice", "-n", "10", "bash", join(repoRoot, "infra/setup/kube-tools.sh"), tool], {
      stdout: "pipe",
      stderr: "inherit",
    });
    const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
    if (code !== 0) throw new Error(`infra/setup/kube-tools.sh ${tool} failed with code ${code}`);
    bins[tool] = out.trim().split("\n").at(-1) ?? "";
  }
  return bins;
}

/**
 * What the tier builds, in order: the server-side validation needs etcd and
 * kube-apiserver; the Argo CD syncs also the controllers, kwok, helm,
 * kustomize and Argo CD.
 */
export const DELIVERY_TOOLS = ["etcd", "kube-apiserver", "kube-controllers", "kwok", "helm", "kustomize", "argocd"];

/** Builds or finds the tier's tools: before the test stack starts, so a cold Go build does not compete with the tests. */
export async function ensureDeliveryTools(repoRoot: string): Promise<Record<string, string>> {
  const started = Date.now();
  const bins = await ensureKubeTools(repoRoot, DELIVERY_TOOLS);
  // Argo CD's cache: Debian's redis-server, installed when missing.
  const redis = Bun.spawnSync(["bash", join(repoRoot, "infra/setup/redis.sh")], { stderr: "inherit" });
  if (redis.exitCode !== 0) throw new Error("infra/setup/redis.sh failed");
  step(`delivery tools ready in ${((Date.now() - started) / 1000).toFixed(0)}s`);
  return bins;
}

/** `bins`: from ensureDeliveryTools; `stackInfo`: the test stack's stack.json, which the todo-api image runs against. */
export async function runDeliveryTier(
  bins: Record<string, string>,
  bunTest: (args: string[], env: Record<string, string>) => Promise<number>,
  stackInfo: string,
): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "todo-platform-kube-"));
  const logDir = join(dir, "logs");
  let plane: ControlPlane | undefined;
  let code = 1;
  // On Ctrl-C the tier's `bun test` stops first (registered later), then the plane.
  const unregister = onStopSignal(async () => {
    await plane?.stop();
  });
  try {
    const planeStarted = Date.now();
    plane = await startControlPlane({ apiserverBin: bins["kube-apiserver"]!, etcdBin: bins.etcd!, dir, logDir });
    step(`etcd and kube-apiserver ready at ${plane.server} in ${((Date.now() - planeStarted) / 1000).toFixed(1)}s`);
    const infoFile = join(dir, "kube.json");
    writeFileSync(
      infoFile,
      JSON.stringify({ kubeconfig: plane.kubeconfig, server: plane.server, token: plane.token, bins, logDir }, null, 2),
    );
    code = await bunTest([".delivery.test.ts", "--timeout=600000"], { KUBE_INFO: infoFile, STACK_INFO: stackInfo });
    return code;
  } finally {
    unregister();
    await plane?.stop();
    if (code === 0) rmSync(dir, { recursive: true, force: true });
    else step(`control plane logs kept in ${logDir}`);
  }
}
