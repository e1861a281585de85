// Step 4 of the delivery tests: the cloud root (AKS, the default path of
// gitops/apps/roots/cloud.yaml) synced by Argo CD on a real control plane,
// then what its automated sync policy promises: self-heal, no fight with the
// autoscalers, prune. Simulated, and said so in the README: the node (kwok),
// KEDA, the External Secrets Operator and kube-prometheus-stack (stand-in
// charts holding only their CRDs; kwok sets ScaledObjects, the
// ClusterSecretStore and ExternalSecrets Ready; nothing reads the PodMonitors
// and PrometheusRule monitoring-config applies). The CPU HPAs are real (kube-controller-manager's HPA controller),
// but without a metrics server they only hold replicas within their bounds.
import { expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import {
  applications,
  argocdCli,
  summary,
  syncFixture,
  waitAllSyncedAndHealthy,
  waitUntil,
} from "../support/delivery/argo.ts";

const fixture = syncFixture("cloud-sync", "gitops/apps/roots/cloud.yaml");
const { keepLogsOnFailure } = fixture;
const c = () => fixture.cluster();
const APPS = ["todo-cloud", "dapr", "keda", "external-secrets", "monitoring", "monitoring-config", "todo-services"];

const jsonpath = (args: string[], path: string) => c().mustKubectl([...args, "-o", `jsonpath=${path}`]);
const todoApiImage = () =>
  jsonpath(["-n", "todo", "get", "deploy/todo-api"], "{.spec.template.spec.containers[0].image}");
const replicas = (name: string) => Number(jsonpath(["-n", "todo", "get", `deploy/${name}`], "{.spec.replicas}"));

test(
  "the cloud root syncs: every Application Synced and Healthy",
  keepLogsOnFailure(async () => {
    await waitAllSyncedAndHealthy(c(), APPS, 720_000);
  }),
  900_000,
);

test(
  "a Deployment changed by hand is restored by Argo CD (self-heal)",
  keepLogsOnFailure(async () => {
    const inGit = todoApiImage();
    const patch = [
      { op: "replace", path: "/spec/template/spec/containers/0/image", value: "example.com/not-from-git:1" },
    ];
    c().mustKubectl(["-n", "todo", "patch", "deploy/todo-api", "--type=json", "-p", JSON.stringify(patch)]);
    expect(todoApiImage()).toBe("example.com/not-from-git:1");
    await waitUntil("self-heal to restore the image from git", () => todoApiImage() === inGit, 180_000, todoApiImage);
  }),
  240_000,
);

test(
  "a Deployment scaled as its autoscaler would stays scaled: Argo CD neither reports drift nor resets it on sync",
  keepLogsOnFailure(async () => {
    // todo-api's HPA keeps 2–10 replicas; 4 is what it would choose under load.
    await waitUntil(
      "the HPA's minimum of 2 replicas",
      () => replicas("todo-api") === 2,
      120_000,
      () => String(replicas("todo-api")),
    );
    c().mustKubectl(["-n", "todo", "scale", "deploy/todo-api", "--replicas=4"]);
    const argocd = await argocdCli(c());
    const sync = await argocd(["app", "sync", "todo-services", "--timeout", "180"]);
    expect(sync.ok).toBe(true);
    const get = await argocd(["app", "get", "todo-services", "--refresh"]);
    expect(get.out).toContain("Sync Status:        Synced");
    expect(replicas("todo-api")).toBe(4);
  }),
  300_000,
);

test(
  "a resource removed from git disappears from the cluster (prune)",
  keepLogsOnFailure(async () => {
    // The provider's ClusterSecretStore: drop it from gitops/envs/cloud/aks and push.
    const file = join(c().git.clone, "gitops/envs/cloud/aks/kustomization.yaml");
    const kustomization = parse(readFileSync(file, "utf8"));
    expect(kustomization.resources).toContain("secret-store.yaml");
    kustomization.resources = kustomization.resources.filter((r: string) => r !== "secret-store.yaml");
    writeFileSync(file, stringify(kustomization));
    expect(c().kubectl(["get", "clustersecretstore", "cloud-vault"]).ok).toBe(true);
    c().git.commit("remove the ClusterSecretStore");
    // What a push webhook would do: refresh now rather than at the next poll (3 min).
    c().mustKubectl([
      "-n",
      "argocd",
      "annotate",
      "app",
      "todo-services",
      "argocd.argoproj.io/refresh=normal",
      "--overwrite",
    ]);
    await waitUntil(
      "the ClusterSecretStore to be pruned",
      () => !c().kubectl(["get", "clustersecretstore", "cloud-vault"]).ok,
      240_000,
      () => summary(applications(c())),
    );
  }),
  300_000,
);
