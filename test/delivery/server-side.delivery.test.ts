// Step 2 of the delivery tests: a real kube-apiserver (and etcd), started by
// the test tier, with the CRDs installed from their pinned upstream sources,
// accepts every kustomization Argo CD syncs, for the local root and the cloud
// root of each provider (`kubectl apply --server-side --dry-run=server`:
// built-in validation, CRD schemas, strict field validation; nothing is
// persisted). A broken fixture is refused, naming each bad object.
import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { parseAllDocuments, stringify } from "yaml";
import { crdFiles, crdSources } from "../../infra/delivery/crds.ts";
import { label, render } from "../support/gitops/render.ts";
import {
  dryRunApply,
  ensureNamespaces,
  intoNamespace,
  crdsEstablished,
  mustKubectl,
  roots,
  targetsFrom,
  type Target,
} from "../support/delivery/kube.ts";

const slow = { timeout: 120_000 };

/** Renders a target and dry-runs it where Argo CD would apply it; namespaces are created as CreateNamespace=true does. */
function dryRun(t: Target) {
  const objects = intoNamespace(render(t.path), t.namespace);
  ensureNamespaces(objects);
  return { objects, ...dryRunApply(objects) };
}

/**
 * A CRD as the test installs it. Dapr's Subscription CRD converts between its
 * versions through a webhook the Dapr operator serves; no operator runs here,
 * so it is installed with conversion None (each version is still validated
 * against its own schema).
 */
function asInstalled(file: string): string {
  const text = readFileSync(file, "utf8");
  if (!/strategy: Webhook/.test(text)) return text;
  return parseAllDocuments(text)
    .map((d) => d.toJS())
    .filter(Boolean)
    .map((crd) => stringify({ ...crd, spec: { ...crd.spec, conversion: { strategy: "None" } } }))
    .join("---\n");
}

const installed: string[] = [];
beforeAll(async () => {
  for (const source of crdSources())
    for (const file of crdFiles(source))
      installed.push(
        ...mustKubectl(["apply", "--server-side", "--field-manager=test", "-f", "-"], asInstalled(file)).split("\n"),
      );
  await crdsEstablished();
}, 300_000);

test("the CRDs from the pinned upstream sources install (Strimzi, Dapr, KEDA, External Secrets, Argo CD)", () => {
  const crds = mustKubectl(["get", "crd", "-o", "name"]).split("\n");
  for (const name of [
    "kafkas.kafka.strimzi.io",
    "kafkatopics.kafka.strimzi.io",
    "components.dapr.io",
    "scaledobjects.keda.sh",
    "externalsecrets.external-secrets.io",
    "applications.argoproj.io",
  ])
    expect(crds).toContain(`customresourcedefinition.apiextensions.k8s.io/${name}`);
  expect(installed.length).toBe(crds.length);
});

describe("kube-apiserver accepts (server-side dry run)", () => {
  test(
    "gitops/apps/argocd, applied by hand after installing Argo CD",
    () => {
      const r = dryRun({ path: "gitops/apps/argocd", namespace: "argocd" });
      expect(r.out).not.toContain("Error");
      expect(r.ok).toBe(true);
    },
    slow,
  );

  for (const { name, app } of roots()) {
    describe(`the ${name} root`, () => {
      test(
        "the root Application itself",
        () => {
          ensureNamespaces([app]);
          const r = dryRunApply([app]);
          expect(r.out).not.toContain("Error");
          expect(r.ok).toBe(true);
        },
        slow,
      );
      for (const t of targetsFrom(app))
        test(
          `${t.path} into namespace ${t.namespace}`,
          () => {
            const r = dryRun(t);
            expect(r.out).not.toContain("Error");
            expect(r.ok).toBe(true);
            // Every object was sent and answered.
            expect(r.out.split("\n").filter((l) => l.includes("(server dry run)")).length).toBe(r.objects.length);
          },
          slow,
        );
    });
  }
});

test(
  "a broken manifest is refused, the message naming each bad object (fixture server-rejected/)",
  () => {
    const r = dryRun({ path: "test/fixtures/gitops/server-rejected", namespace: "fixture" });
    expect(r.ok).toBe(false);
    expect(r.out).toContain('Deployment.apps "mismatched-selector" is invalid');
    expect(r.out).toContain(
      "(fixture/misspelt-field; kafka.strimzi.io/v1, Kind=KafkaTopic): .spec.partition: field not declared in schema",
    );
    expect(r.objects.map(label)).toEqual(["Deployment/mismatched-selector", "KafkaTopic/misspelt-field"]);
  },
  slow,
);
