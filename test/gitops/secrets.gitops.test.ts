// Cloud Secrets come from the provider's vault through the External Secrets
// Operator: each provider has its ClusterSecretStore, and the ExternalSecrets
// produce exactly the Secrets and keys the cloud manifests reference.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CLOUD_ENVS } from "../support/gitops/paths.ts";
import { ofKind, parseObjects, render, repoRoot } from "../support/gitops/render.ts";
import { externalSecretProblems, producedSecretKeys } from "../support/gitops/secrets.ts";

const slow = { timeout: 60_000 };
const PROVIDERS: Record<string, string> = { aks: "azurekv", gke: "gcpsm", oke: "oracle" };

describe("cloud secrets from the provider's vault", () => {
  for (const [provider, vault] of Object.entries(PROVIDERS))
    test(
      `${provider}: the ExternalSecrets produce exactly the referenced Secrets, from its ${vault} ClusterSecretStore with workload identity`,
      () => {
        const objects = render(`gitops/envs/cloud/${provider}`);
        expect(externalSecretProblems(objects)).toEqual([]);
        const [store, ...others] = ofKind(objects, "ClusterSecretStore");
        expect(others).toEqual([]);
        expect(Object.keys(store!.spec.provider)).toEqual([vault]);
        expect(
          store!.spec.provider[vault].serviceAccountRef ??
            store!.spec.provider[vault].auth.workloadIdentity.serviceAccountRef,
        ).toEqual({ name: "vault-reader", namespace: "todo" });
        // Two sidecar tokens, five database URLs, Confluent's two keys, three app secrets.
        expect(producedSecretKeys(objects).size).toBe(12);
      },
      slow,
    );

  test(
    "no Secret object is in any cloud env",
    () => {
      for (const env of CLOUD_ENVS) expect(ofKind(render(env), "Secret")).toEqual([]);
    },
    slow,
  );

  test("a missing, a superfluous and a storeless ExternalSecret are reported (fixture secrets-broken.yaml)", () => {
    const fixture = parseObjects(readFileSync(join(repoRoot, "test/fixtures/gitops/secrets-broken.yaml"), "utf8"));
    expect(externalSecretProblems(fixture)).toEqual([
      "Secret jwt-secret/jwt-secret: referenced, but no ExternalSecret produces it",
      "Secret leftover/token: produced by an ExternalSecret, but nothing references it",
      "ExternalSecret/leftover: its store ClusterSecretStore/nowhere is not defined",
    ]);
  });
});
