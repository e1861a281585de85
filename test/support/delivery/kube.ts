// The delivery tests' view of the control plane the test tier started
// (infra/delivery/tier.ts writes KUBE_INFO): kubectl against it, and what
// Argo CD would apply where.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { ofKind, parseObjects, render, repoRoot, type K8sObject } from "../gitops/render.ts";

export interface KubeInfo {
  kubeconfig: string;
  server: string;
  token: string;
  /** Directories of the built tools, by tool name (kubernetes, etcd, kwok, helm, kustomize, argocd). */
  bins: Record<string, string>;
  logDir: string;
}

export function kubeInfo(): KubeInfo {
  const file = process.env.KUBE_INFO;
  if (!file) throw new Error("KUBE_INFO is not set: run the delivery tests with `TEST_SCOPE=delivery bun run test`");
  return JSON.parse(readFileSync(file, "utf8"));
}

export interface Result {
  ok: boolean;
  out: string;
}

/** kubectl against the test's API server; never throws, the caller asserts. */
export function kubectl(args: string[], input?: string): Result {
  const run = spawnSync("kubectl", ["--kubeconfig", kubeInfo().kubeconfig, ...args], {
    input,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  return { ok: run.status === 0, out: `${run.stdout}${run.stderr}`.trim() };
}

export function mustKubectl(args: string[], input?: string): string {
  const r = kubectl(args, input);
  if (!r.ok) throw new Error(`kubectl ${args.join(" ")} failed:\n${r.out}`);
  return r.out;
}

/**
 * Waits until every CRD is Established. `kubectl wait --all` is no such wait:
 * it errors on a CRD the API server has stored but not yet given a status.
 */
export async function crdsEstablished(timeoutMs = 60_000): Promise<void> {
  const pending = () =>
    (JSON.parse(mustKubectl(["get", "crd", "-o", "json"])).items as K8sObject[])
      .filter(
        (crd) =>
          !(crd.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions?.some(
            (c) => c.type === "Established" && c.status === "True",
          ),
      )
      .map((crd) => crd.metadata.name);
  const deadline = Date.now() + timeoutMs;
  for (let left = pending(); left.length; left = pending()) {
    if (Date.now() > deadline) throw new Error(`CRDs not Established after ${timeoutMs} ms: ${left.join(", ")}`);
    await Bun.sleep(100); // the poll interval of this readiness check
  }
}

let clusterScoped: Set<string> | undefined;
/** group/Kind of every cluster-scoped resource the API server serves (after the CRDs are installed). */
function clusterScopedKinds(): Set<string> {
  clusterScoped ??= new Set(
    mustKubectl(["api-resources", "--namespaced=false", "--no-headers", "-o", "wide"])
      .split("\n")
      .map((line) => line.trim().split(/\s+/))
      .map((cols) => {
        // NAME [SHORTNAMES] APIVERSION NAMESPACED KIND VERBS...: KIND follows the "false" column.
        const at = cols.indexOf("false");
        const apiVersion = cols[at - 1] ?? "";
        return `${apiVersion.includes("/") ? apiVersion.split("/")[0] : ""}/${cols[at + 1]}`;
      }),
  );
  return clusterScoped;
}

const groupOf = (o: K8sObject) => (o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : "");

/** Puts namespaced objects without a namespace into `namespace`, as Argo CD does with an Application's destination. */
export function intoNamespace(objects: K8sObject[], namespace: string): K8sObject[] {
  const scoped = clusterScopedKinds();
  return objects.map((o) =>
    scoped.has(`${groupOf(o)}/${o.kind}`) || o.metadata.namespace
      ? o
      : { ...o, metadata: { ...o.metadata, namespace } },
  );
}

/** Creates the namespaces the objects go into, as Argo CD's CreateNamespace=true does. */
export function ensureNamespaces(objects: K8sObject[]): void {
  for (const ns of new Set(objects.map((o) => o.metadata.namespace).filter(Boolean))) {
    if (!kubectl(["get", "namespace", ns!]).ok) mustKubectl(["create", "namespace", ns!]);
  }
}

/** `kubectl apply --server-side --dry-run=server`: the API server validates every object, persisting none. */
export function dryRunApply(objects: K8sObject[]): Result {
  const yaml = objects.map((o) => stringify(o)).join("---\n");
  return kubectl(["apply", "--server-side", "--dry-run=server", "--field-manager=argocd-controller", "-f", "-"], yaml);
}

/** A kustomization Argo CD applies, and the namespace it applies it into. */
export interface Target {
  path: string;
  namespace: string;
}

/** The one object a file holds. */
function readObject(file: string): K8sObject {
  const [object] = parseObjects(readFileSync(join(repoRoot, file), "utf8"));
  if (!object) throw new Error(`${file} holds no object`);
  return object;
}

/**
 * Every git path Argo CD syncs from a root Application, walking the app of
 * apps as Argo CD does: the root's path (into the root's destination), then
 * each git-sourced Application it renders. Helm-sourced Applications (the
 * platform charts) are not kustomizations and are left out.
 */
export function targetsFrom(root: K8sObject): Target[] {
  const found: Target[] = [];
  const queue = [root];
  while (queue.length) {
    const app = queue.shift()!;
    const { path } = app.spec.source;
    if (!path) continue;
    found.push({ path, namespace: app.spec.destination.namespace });
    queue.push(...ofKind(render(path), "Application"));
  }
  return found;
}

/** The roots a user applies: local, and cloud pointed at each provider (README, cloud steps). */
export function roots(): { name: string; app: K8sObject }[] {
  const local = readObject("gitops/apps/roots/local.yaml");
  const cloud = readObject("gitops/apps/roots/cloud.yaml");
  const forProvider = (p: string): K8sObject => ({
    ...cloud,
    spec: { ...cloud.spec, source: { ...cloud.spec.source, path: `gitops/apps/cloud/${p}` } },
  });
  return [
    { name: "local", app: local },
    ...["aks", "gke", "oke"].map((p) => ({ name: `cloud (${p})`, app: forProvider(p) })),
  ];
}
