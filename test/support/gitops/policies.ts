// The properties every rendered environment must keep. Each check returns
// its problems as lines ("Kind/name: what is wrong"); empty means it holds.
// The tests run each check on the real renders and on a broken fixture.
import { ALL_TOPICS, APP_IDS, PUBSUB, SECRET_STORE, STATE_STORE } from "@todo/shared";
import { label, ofKind, type K8sObject } from "./render.ts";

const APP_ID_SET = new Set<string>(Object.values(APP_IDS));

/** Dapr annotations, probes, security context, resources and graceful termination of one Deployment. */
export function deploymentProblems(d: K8sObject): string[] {
  const p: string[] = [];
  const bad = (what: string) => p.push(`${label(d)}: ${what}`);
  const pod = d.spec?.template?.spec ?? {};
  const ann = d.spec?.template?.metadata?.annotations ?? {};
  const app = (pod.containers ?? []).find((c: any) => c.name === "app");
  if (!app) return [`${label(d)}: no container named app`];
  const httpPort = app.ports?.find((port: any) => port.name === "http")?.containerPort;
  if (ann["dapr.io/enabled"] !== "true") bad('dapr.io/enabled is not "true"');
  if (!APP_ID_SET.has(ann["dapr.io/app-id"]))
    bad(`dapr.io/app-id ${ann["dapr.io/app-id"]} is not an app id of shared/src/topics.ts`);
  if (ann["dapr.io/app-port"] !== String(httpPort))
    bad(`dapr.io/app-port ${ann["dapr.io/app-port"]} differs from the http container port ${httpPort}`);
  if (ann["dapr.io/app-protocol"] !== "http") bad("dapr.io/app-protocol is not http");
  if (!ann["dapr.io/config"]) bad("no dapr.io/config");
  if (!ann["dapr.io/app-token-secret"]) bad("no dapr.io/app-token-secret");
  if (pod.serviceAccountName !== ann["dapr.io/app-id"])
    bad("does not run as its own ServiceAccount (named after its app id)");
  if (!(pod.terminationGracePeriodSeconds > 0)) bad("no graceful termination period");
  if (pod.securityContext?.runAsNonRoot !== true) bad("pod securityContext.runAsNonRoot is not true");
  for (const c of pod.containers ?? []) {
    const sc = c.securityContext ?? {};
    if (sc.readOnlyRootFilesystem !== true) bad(`container ${c.name}: readOnlyRootFilesystem is not true`);
    if (sc.allowPrivilegeEscalation !== false) bad(`container ${c.name}: allowPrivilegeEscalation is not false`);
    if (!sc.capabilities?.drop?.includes("ALL")) bad(`container ${c.name}: capabilities do not drop ALL`);
    for (const kind of ["requests", "limits"])
      for (const r of ["cpu", "memory"]) if (!c.resources?.[kind]?.[r]) bad(`container ${c.name}: no ${kind}.${r}`);
  }
  if (app.readinessProbe?.httpGet?.path !== "/readyz") bad("readiness probe is not GET /readyz");
  if (app.livenessProbe?.httpGet?.path !== "/healthz") bad("liveness probe is not GET /healthz");
  return p;
}

/** Which apps use each Dapr component: pub/sub publishers plus the apps subscribing through it; stores per docs/architecture.md. */
export function componentUsers(objects: K8sObject[]): Map<string, Set<string>> {
  const users = new Map<string, Set<string>>([
    [PUBSUB, new Set([APP_IDS.todoApi])], // the only publisher
    [STATE_STORE, new Set([APP_IDS.todoApi])], // chat conversations
    // Application secrets: JWT key (todo-api, ws-sync), model API key (todo-api), SMTP password (notification).
    [SECRET_STORE, new Set([APP_IDS.todoApi, APP_IDS.notification, APP_IDS.wsSync])],
  ]);
  for (const s of ofKind(objects, "Subscription")) {
    const set = users.get(s.spec.pubsubname) ?? users.set(s.spec.pubsubname, new Set()).get(s.spec.pubsubname)!;
    for (const app of s.scopes ?? []) set.add(app);
  }
  return users;
}

/** Each Dapr Component is scoped to exactly the app ids that use it. */
export function componentScopeProblems(objects: K8sObject[]): string[] {
  const users = componentUsers(objects);
  return ofKind(objects, "Component").flatMap((c) => {
    const want = [...(users.get(c.metadata.name) ?? [])].sort();
    const have = [...(c.scopes ?? [])].sort();
    return JSON.stringify(want) === JSON.stringify(have) ? [] : [`${label(c)}: scopes [${have}] but used by [${want}]`];
  });
}

/** The KafkaTopics are exactly ALL_TOPICS (dead letters included), each bound to a cluster. */
export function kafkaTopicProblems(objects: K8sObject[]): string[] {
  const topics = ofKind(objects, "KafkaTopic");
  const names = topics.map((t) => t.spec?.topicName ?? t.metadata.name).sort();
  const p =
    JSON.stringify(names) === JSON.stringify([...ALL_TOPICS].sort())
      ? []
      : [`KafkaTopics [${names}] differ from ALL_TOPICS [${[...ALL_TOPICS].sort()}]`];
  for (const t of topics)
    if (!t.metadata.labels?.["strimzi.io/cluster"]) p.push(`${label(t)}: no strimzi.io/cluster label`);
  return p;
}

const metaValue = (c: K8sObject, name: string) =>
  c.spec.metadata.find((m: any) => m.name === name)?.value as string | undefined;

/** Each KEDA Kafka trigger watches the consumer group, topic and brokers the scaled app's Dapr sidecar uses. */
export function kedaProblems(objects: K8sObject[]): string[] {
  const components = ofKind(objects, "Component");
  return ofKind(objects, "ScaledObject").flatMap((so) => {
    const deployment = ofKind(objects, "Deployment").find((d) => d.metadata.name === so.spec.scaleTargetRef.name);
    const appId = deployment?.spec.template.metadata.annotations["dapr.io/app-id"];
    const subs = ofKind(objects, "Subscription").filter((s) => s.scopes?.includes(appId));
    return (so.spec.triggers ?? [])
      .filter((t: any) => t.type === "kafka")
      .flatMap((t: any) => {
        const sub = subs.find((s) => s.spec.topic === t.metadata.topic);
        const component = components.find((c) => c.metadata.name === sub?.spec.pubsubname);
        if (!sub || !component)
          return [`${label(so)}: ${appId ?? "its target"} has no subscription to ${t.metadata.topic}`];
        const group = metaValue(component, "consumerGroup")?.replace("{appID}", appId);
        const p: string[] = [];
        if (t.metadata.consumerGroup !== group)
          p.push(`${label(so)}: consumer group ${t.metadata.consumerGroup} but Dapr's is ${group}`);
        if (t.metadata.bootstrapServers !== metaValue(component, "brokers"))
          p.push(`${label(so)}: bootstrap servers differ from the Dapr component's brokers`);
        return p;
      });
  });
}

const wave = (a: K8sObject) => Number(a.metadata.annotations?.["argocd.argoproj.io/sync-wave"] ?? 0);
// Our monitoring objects (gitops/monitoring) belong with the chart they configure.
const stage = (a: K8sObject) =>
  a.spec.source?.chart || a.spec.source?.path?.startsWith("gitops/monitoring/")
    ? "platform"
    : /\/(kafka|postgres)$/.test(a.spec.source?.path ?? "")
      ? "data"
      : "services";

/** Sync waves order platform charts before Kafka (and Postgres), and those before the services. */
export function syncWaveProblems(apps: K8sObject[]): string[] {
  const order = ["platform", "data", "services"];
  const p: string[] = [];
  for (const a of apps)
    for (const b of apps)
      if (order.indexOf(stage(a)) < order.indexOf(stage(b)) && !(wave(a) < wave(b)))
        p.push(
          `${label(a)} (${stage(a)}, wave ${wave(a)}) must sync before ${label(b)} (${stage(b)}, wave ${wave(b)})`,
        );
  return p;
}

/** Every Application syncs automatically with prune and selfHeal. */
export function syncPolicyProblems(apps: K8sObject[]): string[] {
  return apps
    .filter((a) => !(a.spec.syncPolicy?.automated?.prune && a.spec.syncPolicy?.automated?.selfHeal))
    .map((a) => `${label(a)}: automated sync without prune and selfHeal`);
}

const CREDENTIAL_NAME = /pass(word)?|secret|token|api.?key|credential|connection.?string|database.?url|sasl.?user/i;
const URL_WITH_PASSWORD = /\/\/[^/\s:@]+:[^/\s@]+@/;

/** No credential is written in plain text: no Secret data, no literal credential in env, component metadata or any URL. */
export function plaintextCredentialProblems(objects: K8sObject[]): string[] {
  const p: string[] = [];
  for (const o of objects) {
    if (o.kind === "Secret" && (Object.keys(o.data ?? {}).length || Object.keys(o.stringData ?? {}).length))
      p.push(`${label(o)}: a Secret with data in git`);
    const walk = (node: any, path: string) => {
      if (typeof node === "string" && URL_WITH_PASSWORD.test(node))
        p.push(`${label(o)}: ${path} has a URL with a password`);
      if (!node || typeof node !== "object") return;
      // {name, value} pairs: container env and Dapr component metadata.
      if (
        typeof node.name === "string" &&
        typeof node.value === "string" &&
        node.value &&
        CREDENTIAL_NAME.test(node.name)
      )
        p.push(`${label(o)}: ${path} sets ${node.name} in plain text`);
      for (const [k, v] of Object.entries(node)) walk(v, `${path}/${k}`);
    };
    walk(o, "");
  }
  return p;
}

/** Every git-sourced Application points at a folder that exists and renders. */
export function applicationPathProblems(
  apps: K8sObject[],
  kustomize: (dir: string) => { ok: boolean; error?: string },
  exists: (dir: string) => boolean,
): string[] {
  return apps.flatMap((a) => {
    const path = a.spec.source?.path;
    if (a.spec.source?.chart) return [];
    if (!path || !exists(path)) return [`${label(a)}: path ${path} does not exist`];
    const r = kustomize(path);
    return r.ok ? [] : [`${label(a)}: path ${path} does not render: ${r.error}`];
  });
}

/** Names of the Deployments an HPA or a KEDA ScaledObject (which defaults to a Deployment) scales. */
export function autoscaledDeployments(objects: K8sObject[]): Set<string> {
  const refs = [...ofKind(objects, "HorizontalPodAutoscaler"), ...ofKind(objects, "ScaledObject")].map(
    (a) => a.spec?.scaleTargetRef ?? {},
  );
  return new Set(refs.filter((r) => (r.kind ?? "Deployment") === "Deployment").map((r) => r.name));
}

/**
 * Argo CD leaves the replica count to the autoscaler: either the manifest has
 * no spec.replicas, or the app ignores Deployments' /spec/replicas and
 * respects that when it syncs (ignoreDifferences alone only hides the diff;
 * the next sync of any other change would reset the count).
 */
function leavesReplicasAlone(app: K8sObject, d: K8sObject): boolean {
  if (d.spec?.replicas === undefined) return true;
  if (!app.spec.syncPolicy?.syncOptions?.includes("RespectIgnoreDifferences=true")) return false;
  return (app.spec.ignoreDifferences ?? []).some(
    (r: any) =>
      r.group === "apps" &&
      r.kind === "Deployment" &&
      (!r.name || r.name === d.metadata.name) &&
      (r.jsonPointers?.includes("/spec/replicas") || r.jqPathExpressions?.includes(".spec.replicas")),
  );
}

/** A self-healing Application never pins the replicas of a Deployment an autoscaler owns (`objects`: what the app syncs). */
export function replicaOwnershipProblems(app: K8sObject, objects: K8sObject[]): string[] {
  if (!app.spec.syncPolicy?.automated?.selfHeal) return [];
  const scaled = autoscaledDeployments(objects);
  return ofKind(objects, "Deployment")
    .filter((d) => scaled.has(d.metadata.name) && !leavesReplicasAlone(app, d))
    .map((d) => `${label(app)}: self-heals ${label(d)} back to ${d.spec.replicas} replicas, which an autoscaler owns`);
}
