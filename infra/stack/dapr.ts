// The Dapr control plane pieces we need (the Scheduler, with embedded etcd;
// Sentry is in sentry.ts) and one daprd sidecar per service, as the Dapr CLI
// would start them, except that everything talks mTLS with Sentry's
// certificates.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { ServicePorts } from "./ports.ts";
import { httpOk, Proc, run, waitFor } from "./process.ts";
import { APP_NAMESPACE, CONTROL_PLANE_TRUST_DOMAIN, type Sentry } from "./sentry.ts";

export interface SchedulerOptions {
  binDir: string;
  dataDir: string;
  port: number;
  healthPort: number;
  metricsPort: number;
  etcdClientPort: number;
  etcdPeerPort: number;
  sentry: Sentry;
  /** Where it writes the certificate Sentry gave it; the default, /tmp/secrets, would be shared by every stack on the machine. */
  identityDir: string;
  logDir: string;
  echo: boolean;
}

export async function startScheduler(o: SchedulerOptions): Promise<Proc> {
  mkdirSync(o.dataDir, { recursive: true });
  const proc = new Proc({
    name: "dapr-scheduler",
    cmd: [
      join(o.binDir, "scheduler"),
      `--port=${o.port}`,
      "--listen-address=127.0.0.1",
      `--healthz-port=${o.healthPort}`,
      "--healthz-listen-address=127.0.0.1",
      `--metrics-port=${o.metricsPort}`,
      "--metrics-listen-address=127.0.0.1",
      `--etcd-data-dir=${o.dataDir}`,
      `--etcd-client-port=${o.etcdClientPort}`,
      "--etcd-client-listen-address=127.0.0.1",
      `--etcd-initial-cluster=dapr-scheduler-server-0=http://127.0.0.1:${o.etcdPeerPort}`,
      `--override-broadcast-host-port=127.0.0.1:${o.port}`,
      // Sidecars with mTLS insist on a Scheduler with an identity from the same Sentry.
      "--tls-enabled",
      `--trust-domain=${CONTROL_PLANE_TRUST_DOMAIN}`,
      `--trust-anchors-file=${o.sentry.trustAnchorsFile}`,
      `--sentry-address=${o.sentry.address}`,
      `--identity-directory-write=${o.identityDir}`,
      "--log-level=warn",
    ],
    logDir: o.logDir,
    echo: o.echo,
  });
  await waitFor(
    `Dapr Scheduler on port ${o.port}`,
    () => httpOk(`http://127.0.0.1:${o.healthPort}/healthz`),
    60_000,
    proc,
  );
  return proc;
}

export interface SidecarOptions {
  binDir: string;
  appId: string;
  /** The process name, when it is not `<app id>-dapr` (a second replica). */
  name?: string;
  ports: ServicePorts;
  schedulerPort: number;
  sentry: Sentry;
  repoRoot: string;
  env: Record<string, string>;
  logDir: string;
  echo: boolean;
  logLevel: string;
  /** More Configuration files after the repository's (the launcher's tracing settings). */
  extraConfigs?: string[];
  onCrash?: () => void;
}

export function startSidecar(o: SidecarOptions): Proc {
  const name = o.name ?? `${o.appId}-dapr`;
  return new Proc({
    name,
    cwd: o.repoRoot,
    cmd: [
      join(o.binDir, "daprd"),
      `--app-id=${o.appId}`,
      `--app-port=${o.ports.app}`,
      "--app-protocol=http",
      "--app-channel-address=127.0.0.1",
      `--dapr-http-port=${o.ports.daprHttp}`,
      `--dapr-grpc-port=${o.ports.daprGrpc}`,
      "--dapr-listen-addresses=127.0.0.1",
      `--metrics-port=${o.ports.daprMetrics}`,
      "--metrics-listen-address=127.0.0.1",
      "--resources-path=dapr/components",
      "--resources-path=dapr/subscriptions",
      // Later files add to earlier ones: the common settings, then what this app may do.
      "--config=dapr/config.yaml",
      `--config=dapr/access/${o.appId}.yaml`,
      ...(o.extraConfigs ?? []).map((file) => `--config=${file}`),
      `--scheduler-host-address=127.0.0.1:${o.schedulerPort}`,
      "--placement-host-address=",
      "--enable-mtls",
      `--sentry-address=${o.sentry.address}`,
      `--control-plane-trust-domain=${CONTROL_PLANE_TRUST_DOMAIN}`,
      // Where other sidecars call this one (mTLS only); its port is daprd's pick, published through name resolution.
      "--dapr-internal-grpc-listen-address=127.0.0.1",
      `--log-level=${o.logLevel}`,
    ],
    env: {
      ...o.env,
      DAPR_TRUST_ANCHORS: o.sentry.trustAnchors,
      NAMESPACE: APP_NAMESPACE,
      // {podName} in a component (ws-sync's per-instance consumer group): one
      // name per instance that survives its restarts, as a pod's does.
      POD_NAME: name,
    },
    logDir: o.logDir,
    echo: o.echo,
    onCrash: o.onCrash,
  });
}

export async function daprdVersion(binDir: string): Promise<string> {
  return (await run([join(binDir, "daprd"), "--version"])).trim();
}
