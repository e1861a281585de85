// Renders kustomizations with `kubectl kustomize` (kubectl installed by
// infra/setup/kubectl.sh when missing) and parses what they produce.
import { execFileSync, spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { parseAllDocuments } from "yaml";

export const repoRoot = resolve(import.meta.dir, "../../..");

/** A rendered Kubernetes object, loosely typed: the checks look inside. */
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  [key: string]: any;
};

let kubectl: string | undefined;
function kubectlPath(): string {
  kubectl ??= execFileSync("bash", [join(repoRoot, "infra/setup/kubectl.sh")], { encoding: "utf8" })
    .trim()
    .split("\n")
    .at(-1)!;
  return kubectl;
}

export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS())
    .filter((o) => o != null);
}

export type Rendered = { ok: true; objects: K8sObject[] } | { ok: false; error: string };

const cache = new Map<string, Rendered>();

/** `kubectl kustomize <dir>` (dir relative to the repo root or absolute), memoised per test process. */
export function kustomize(dir: string): Rendered {
  const abs = resolve(repoRoot, dir);
  const hit = cache.get(abs);
  if (hit) return hit;
  const run = spawnSync(kubectlPath(), ["kustomize", abs], { encoding: "utf8", maxBuffer: 64 << 20 });
  const result: Rendered =
    run.status === 0
      ? { ok: true, objects: parseObjects(run.stdout) }
      : { ok: false, error: run.stderr.trim() || `exit ${run.status}` };
  cache.set(abs, result);
  return result;
}

/** Renders or throws with kustomize's message: for paths that must render. */
export function render(dir: string): K8sObject[] {
  const r = kustomize(dir);
  if (!r.ok) throw new Error(`kubectl kustomize ${dir} failed: ${r.error}`);
  return r.objects;
}

export const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
export const label = (o: K8sObject) => `${o.kind}/${o.metadata?.name}`;
