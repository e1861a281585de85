// A fake node for the control plane: kwok (built by kube-tools.sh) plays the
// kubelet's part through its Stages, read from the pinned kwok module (never
// copied): the node initializes and keeps sending heartbeats and renewing
// its Lease, pods become Running and Ready, PersistentVolumeClaims of the
// default StorageClass `kwok-volume` (and of the cloud providers' classes)
// get a volume and bind. No container runs.
// Stages of our own (kwok-stages/, simulated-operators.ts) stand in for the
// operators that do not run here.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { Proc, waitFor } from "../stack/process.ts";
import { moduleDir } from "./modules.ts";

const repoRoot = resolve(import.meta.dir, "../..");
export const KWOK_NODE = "kwok-node";

/**
 * The kwok Stages in use. The node heartbeat matters: kube-controller-manager's
 * node-lifecycle controller marks a node whose kubelet has not reported for
 * its grace period (50 s) as NotReady and then every pod on it Ready=False,
 * which turns Deployments and Argo CD Applications back to Progressing.
 * Without `node/heartbeat-with-lease` (and its Lease renewal) that happens
 * 40–60 s after the node starts.
 */
const UPSTREAM_STAGES = ["node/fast", "node/heartbeat-with-lease", "pod/fast", "volume/fast"];

/**
 * The cloud providers' block-storage classes the Dapr Scheduler's volume
 * asks for (gitops/apps/cloud/<provider>): provisioned by kwok like its own
 * `kwok-volume`, standing in for each provider's CSI driver.
 */
function providerStorageClasses(): string[] {
  const dir = join(repoRoot, "gitops/apps/cloud");
  return readdirSync(dir).flatMap((p) => {
    const file = join(dir, p, "kustomization.yaml");
    const text = existsSync(file) ? readFileSync(file, "utf8") : "";
    return [...text.matchAll(/storageClassName, value: ([\w-]+)/g)].map((m) => m[1]!);
  });
}

const KWOK_CLASS = "self.spec.storageClassName == 'kwok-volume'";

function stageDocuments(dir: string): unknown[] {
  const classes = ["kwok-volume", ...providerStorageClasses()].map((c) => `'${c}'`).join(", ");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
    .map((f) => readFileSync(join(dir, f), "utf8").replaceAll(KWOK_CLASS, `self.spec.storageClassName in [${classes}]`))
    .flatMap((text) => parseAllDocuments(text).map((d) => d.toJS()))
    .filter(Boolean);
}

/** The upstream stages' directory of kwok's module. */
function upstreamStageDir(): string {
  return join(moduleDir("kube-build/kwok", "sigs.k8s.io/kwok"), "kustomize/stage");
}

/** Objects the upstream stages expect in the cluster: the default StorageClass `kwok-volume`, and the providers' classes. */
export function kwokClusterObjects(): unknown[] {
  const classes = UPSTREAM_STAGES.flatMap((s) => stageDocuments(join(upstreamStageDir(), s))).filter(
    (o) => (o as { kind: string }).kind === "StorageClass",
  ) as { metadata: { name: string; annotations?: Record<string, string> } }[];
  const kwokVolume = classes.find((c) => c.metadata.name === "kwok-volume")!;
  return [...classes, ...providerStorageClasses().map((name) => ({ ...kwokVolume, metadata: { name } }))];
}

/** The fake node: no taints, so every pod lands on it; labelled like a one-zone cloud node. */
export function kwokNode(): unknown {
  const resources = { cpu: "64", memory: "256Gi", pods: "250" };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: KWOK_NODE,
      annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
      labels: {
        "kubernetes.io/hostname": KWOK_NODE,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "topology.kubernetes.io/zone": "zone-a",
        "topology.kubernetes.io/region": "local",
        type: "kwok",
      },
    },
    status: { allocatable: resources, capacity: resources },
  };
}

/** The node's kwok: the upstream node, pod and volume Stages. */
export function startNodeKwok(o: { kwokBin: string; kubeconfig: string; dir: string; logDir: string }): Proc {
  return startKwok({
    ...o,
    name: "kwok",
    stages: UPSTREAM_STAGES.flatMap((s) => stageDocuments(join(upstreamStageDir(), s))),
  });
}

/** One kwok process playing `stages` (or the Stages of `stageFiles`); only the fake node is its to manage. */
export function startKwok(o: {
  name: string;
  kwokBin: string;
  kubeconfig: string;
  dir: string;
  logDir: string;
  stages?: unknown[];
  stageFiles?: string[];
}): Proc {
  const stages = [
    ...(o.stages ?? []),
    ...(o.stageFiles ?? []).flatMap((f) => parseAllDocuments(readFileSync(f, "utf8")).map((d) => d.toJS())),
  ].filter((d) => (d as { kind?: string } | null)?.kind === "Stage");
  const config = join(o.dir, `${o.name}.yaml`);
  writeFileSync(config, stages.map((s) => stringify(s)).join("---\n"));
  return new Proc({
    name: o.name,
    cmd: [
      join(o.kwokBin, "kwok"),
      `--kubeconfig=${o.kubeconfig}`,
      `--config=${config}`,
      "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
      "--node-lease-duration-seconds=40",
      "--cidr=10.244.0.0/16",
      "--node-ip=10.0.0.10",
    ],
    logDir: o.logDir,
    echo: false,
  });
}

/** Resolves once `check` (the node is Ready) holds, or fails when kwok dies. */
export function waitForNode(kwok: Proc, check: () => Promise<boolean>): Promise<void> {
  return waitFor("kwok's node Ready", check, 60_000, kwok);
}
