// Which Secrets (and keys) the manifests reference, and which the External
// Secrets Operator's ExternalSecrets produce: in the cloud the two must be the
// same, so that no Secret is missing and none is fetched for nothing.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { label, ofKind, repoRoot, type K8sObject } from "./render.ts";

/** "secret/key" pairs: secretKeyRef and KEDA secretTargetRef anywhere, the Dapr token annotations, and the Dapr secret store's app secrets. */
export function referencedSecretKeys(objects: K8sObject[]): Set<string> {
  const refs = new Set<string>();
  const walk = (node: any) => {
    if (!node || typeof node !== "object") return;
    if (node.secretKeyRef?.name) refs.add(`${node.secretKeyRef.name}/${node.secretKeyRef.key}`);
    for (const t of Array.isArray(node.secretTargetRef) ? node.secretTargetRef : []) refs.add(`${t.name}/${t.key}`);
    for (const v of Object.values(node)) walk(v);
  };
  for (const o of objects) {
    walk(o);
    const annotations = o.spec?.template?.metadata?.annotations ?? {};
    for (const a of ["dapr.io/api-token-secret", "dapr.io/app-token-secret"])
      if (annotations[a]) refs.add(`${annotations[a]}/token`);
  }
  // The apps read these through the secret store (dapr.getSecret(name)[name]); dapr/secrets.local.json lists them.
  if (ofKind(objects, "Component").some((c) => c.spec.type === "secretstores.kubernetes"))
    for (const name of Object.keys(JSON.parse(readFileSync(join(repoRoot, "dapr/secrets.local.json"), "utf8"))).filter(
      (k) => !k.startsWith("_"),
    ))
      refs.add(`${name}/${name}`);
  return refs;
}

/** "secret/key" pairs the ExternalSecrets produce. */
export function producedSecretKeys(objects: K8sObject[]): Set<string> {
  return new Set(
    ofKind(objects, "ExternalSecret").flatMap((e) =>
      (e.spec.data ?? []).map((d: any) => `${e.spec.target?.name ?? e.metadata.name}/${d.secretKey}`),
    ),
  );
}

/** Referenced but not produced, produced but not referenced, and ExternalSecrets whose store is not in the objects. */
export function externalSecretProblems(objects: K8sObject[]): string[] {
  const referenced = referencedSecretKeys(objects);
  const produced = producedSecretKeys(objects);
  const stores = new Set(ofKind(objects, "ClusterSecretStore").map((s) => s.metadata.name));
  return [
    ...[...referenced]
      .filter((r) => !produced.has(r))
      .map((r) => `Secret ${r}: referenced, but no ExternalSecret produces it`),
    ...[...produced]
      .filter((r) => !referenced.has(r))
      .map((r) => `Secret ${r}: produced by an ExternalSecret, but nothing references it`),
    ...ofKind(objects, "ExternalSecret")
      .filter((e) => e.spec.secretStoreRef?.kind !== "ClusterSecretStore" || !stores.has(e.spec.secretStoreRef.name))
      .map(
        (e) => `${label(e)}: its store ${e.spec.secretStoreRef?.kind}/${e.spec.secretStoreRef?.name} is not defined`,
      ),
  ];
}
