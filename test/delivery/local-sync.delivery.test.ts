// Step 3 of the delivery tests: the local sync as the README's Minikube
// section tells a user to do it, on a real control plane (etcd,
// kube-apiserver, kube-controller-manager, kube-scheduler) with Argo CD
// v3.1.8 syncing from a git repository made from this working tree.
// Simulated, and said so in the README: the node (kwok: pods become Running
// and Ready, no container runs, no image is pulled), the Strimzi operator
// (its chart is a stand-in holding only its CRDs; kwok sets Kafka and
// KafkaTopic Ready), the ingress controller (kwok publishes an address).
// Dapr's chart is the real one; its pods, like every pod, are kwok's.
import { expect, test } from "bun:test";
import { ofKind, render } from "../support/gitops/render.ts";
import {
  applications,
  argocdCli,
  syncFixture,
  waitAllSyncedAndHealthy,
  waitUntil,
  wave,
  type App,
} from "../support/delivery/argo.ts";

const fixture = syncFixture("local-sync", "gitops/apps/roots/local.yaml");
const { keepLogsOnFailure } = fixture;
const c = () => fixture.cluster();
const APPS = ["todo-local", "strimzi-operator", "dapr", "kafka", "postgres", "todo-services"];

test(
  "`argocd app wait todo-local --sync --health` returns, and every Application is Synced and Healthy",
  keepLogsOnFailure(async () => {
    const argocd = await argocdCli(c());
    const wait = await argocd(["app", "wait", "todo-local", "--sync", "--health", "--timeout", "600"]);
    expect(wait.out).toContain("Health Status:      Healthy");
    expect(wait.ok).toBe(true);
    // The root is Healthy only when its children are (gitops/apps/argocd's health check); every one must also be Synced.
    await waitAllSyncedAndHealthy(c(), APPS, 300_000);
  }),
  900_000,
);

/** Creation times of what an Application's sync made, from its status' resource list. */
function createdObjects(app: App): { what: string; at: number }[] {
  return (app.status?.resources ?? []).flatMap((r) => {
    const kind = r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase();
    const ns = r.namespace ? ["-n", r.namespace] : [];
    const at = c().kubectl([...ns, "get", kind, r.name, "-o", "jsonpath={.metadata.creationTimestamp}"]);
    return at.ok ? [{ what: `${app.metadata.name}: ${r.kind}/${r.name}`, at: Date.parse(at.out) }] : [];
  });
}

test(
  "the waves ran in order: the platform (-2), then Kafka and Postgres (-1), then the services (0)",
  keepLogsOnFailure(() => {
    const children = applications(c()).filter((a) => a.metadata.name !== "todo-local");
    const byWave = (w: number) => children.filter((a) => wave(a) === w);
    expect(
      byWave(-2)
        .map((a) => a.metadata.name)
        .sort(),
    ).toEqual(["dapr", "strimzi-operator"]);
    expect(
      byWave(-1)
        .map((a) => a.metadata.name)
        .sort(),
    ).toEqual(["kafka", "postgres"]);
    expect(byWave(0).map((a) => a.metadata.name)).toEqual(["todo-services"]);
    // Everything a wave's Applications made exists before anything of the next wave (seconds resolution).
    for (const [earlier, later] of [
      [-2, -1],
      [-1, 0],
    ] as const) {
      const before = byWave(earlier).flatMap(createdObjects);
      const after = byWave(later).flatMap(createdObjects);
      expect(before.length).toBeGreaterThan(0);
      expect(after.length).toBeGreaterThan(0);
      const last = before.reduce((a, b) => (b.at > a.at ? b : a));
      const first = after.reduce((a, b) => (b.at < a.at ? b : a));
      expect({ last, first, inOrder: last.at <= first.at }).toEqual({ last, first, inOrder: true });
    }
  }),
);

test(
  "every Deployment is available, with the Dapr annotations of the manifests intact",
  keepLogsOnFailure(() => {
    const wanted = ofKind(render("gitops/envs/local"), "Deployment");
    const live = JSON.parse(c().mustKubectl(["-n", "todo", "get", "deployments", "-o", "json"])).items;
    expect(live.map((d: { metadata: { name: string } }) => d.metadata.name).sort()).toEqual(
      wanted.map((d) => d.metadata.name).sort(),
    );
    for (const want of wanted) {
      const got = live.find((d: { metadata: { name: string } }) => d.metadata.name === want.metadata.name);
      const available = got.status.conditions.find((cond: { type: string }) => cond.type === "Available");
      expect({ name: want.metadata.name, available: available?.status }).toEqual({
        name: want.metadata.name,
        available: "True",
      });
      const dapr = (annotations: Record<string, string> = {}) =>
        Object.fromEntries(Object.entries(annotations).filter(([k]) => k.startsWith("dapr.io/")));
      const wantDapr = dapr(want.spec.template.metadata.annotations);
      expect(wantDapr["dapr.io/enabled"]).toBe("true");
      expect(dapr(got.spec.template.metadata.annotations)).toEqual(wantDapr);
    }
  }),
);

test(
  "pods stay Ready past the node-lifecycle grace period: kwok renews the node's Lease",
  keepLogsOnFailure(async () => {
    // kube-controller-manager marks a node without heartbeats NotReady after 50 s, then its pods Ready=False.
    const node = JSON.parse(c().mustKubectl(["get", "node", "kwok-node", "-o", "json"]));
    const since = () => (Date.now() - Date.parse(node.metadata.creationTimestamp)) / 1000;
    await waitUntil(
      "the node to be older than the 50 s grace period and a margin",
      () => since() > 75,
      90_000,
      () => `${since()} s`,
    );
    const ready = c().mustKubectl([
      "get",
      "node",
      "kwok-node",
      "-o",
      'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
    ]);
    expect(ready).toBe("True");
    const pods = JSON.parse(c().mustKubectl(["get", "pods", "-A", "-o", "json"])).items;
    const notReady = pods.filter(
      (p: { status: { conditions?: { type: string; status: string }[] } }) =>
        p.status.conditions?.find((cond) => cond.type === "Ready")?.status !== "True",
    );
    expect(notReady.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual([]);
    const workloads = JSON.parse(c().mustKubectl(["get", "deployments,statefulsets", "-A", "-o", "json"])).items;
    const short = workloads.filter(
      (w: { spec: { replicas: number }; status: { readyReplicas?: number } }) =>
        (w.status.readyReplicas ?? 0) < w.spec.replicas,
    );
    expect(short.map((w: { metadata: { name: string } }) => w.metadata.name)).toEqual([]);
  }),
  120_000,
);

test(
  "a broken manifest fails `argocd app sync`, the message naming the object (fixture server-rejected/)",
  keepLogsOnFailure(async () => {
    const argocd = await argocdCli(c());
    const create = await argocd([
      "app",
      "create",
      "broken-fixture",
      "--repo",
      c().git.url,
      "--path",
      "test/fixtures/gitops/server-rejected",
      "--dest-server",
      "https://kubernetes.default.svc",
      "--dest-namespace",
      "fixture",
      "--sync-option",
      "CreateNamespace=true",
    ]);
    expect(create.out).toContain("application 'broken-fixture' created");
    const sync = await argocd(["app", "sync", "broken-fixture", "--timeout", "180"]);
    expect(sync.ok).toBe(false);
    expect(sync.out).toContain('Deployment.apps "mismatched-selector" is invalid');
    expect((await argocd(["app", "delete", "broken-fixture", "--yes", "--wait=false"])).ok).toBe(true);
  }),
  240_000,
);
