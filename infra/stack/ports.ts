// Every port of the local stack, as docs/architecture.md lays them out, each
// overridable by environment. STACK_PORT_OFFSET shifts them all, so the test
// stack (offset 100) can run beside a developer's `bun run dev`.
import { APP_IDS, type AppId } from "@todo/shared";

export interface ServicePorts {
  app: number;
  daprHttp: number;
  daprGrpc: number;
  daprMetrics: number;
}

export interface StackPorts {
  postgres: number;
  kafka: number;
  kafkaController: number;
  scheduler: number;
  schedulerHealth: number;
  schedulerMetrics: number;
  schedulerEtcdClient: number;
  schedulerEtcdPeer: number;
  /** Dapr Sentry, the certificate authority (infra/stack/sentry.ts), and its health check. */
  sentry: number;
  sentryHealth: number;
  /**
   * Where todo-api's chat looks for an OpenAI-compatible model (LLM_BASE_URL).
   * Nothing of ours listens there: a developer may run a local model on it,
   * and the chat tests start a scripted stand-in on it. Unanswered, the chat
   * falls back to its parser.
   */
  llm: number;
  /** Where notification sends email. Not ours to listen on: tests run an SMTP server there. */
  smtp: number;
  /** Local monitoring (infra/stack/prometheus.ts): Prometheus's UI and API, and Kafka's offsets and lag for it. */
  prometheus: number;
  kafkaExporter: number;
  /**
   * The trace backend, Zipkin (infra/stack/zipkin.ts). Not Zipkin's usual
   * 9411: at offset 100 that is an extra notification instance's metrics port.
   */
  zipkin: number;
  services: Record<AppId, ServicePorts>;
}

/** Services in docs/architecture.md's order: n = 0 for todo-api, 1 for notification, … */
export const SERVICE_ORDER: AppId[] = [
  APP_IDS.todoApi,
  APP_IDS.notification,
  APP_IDS.recurring,
  APP_IDS.auditLog,
  APP_IDS.wsSync,
  APP_IDS.web,
];

const envName = (appId: string, what: string) => `${appId.toUpperCase().replaceAll("-", "_")}_${what}`;

export function stackPorts(env: Record<string, string | undefined>, defaultOffset = 0): StackPorts {
  const offset = Number(env.STACK_PORT_OFFSET ?? defaultOffset);
  const port = (name: string, base: number) => {
    const raw = env[name];
    const value = raw ? Number(raw) : base + offset;
    if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name}: not a port: ${raw}`);
    return value;
  };
  const services = Object.fromEntries(
    SERVICE_ORDER.map((appId, n) => [
      appId,
      {
        app: port(envName(appId, "PORT"), 3000 + n),
        daprHttp: port(envName(appId, "DAPR_HTTP_PORT"), 3500 + n),
        // Not Dapr's 50001/50006/50010-style ports: they lie in Linux's
        // ephemeral range (32768-60999), where an outgoing connection may
        // already hold one and daprd then dies at start ("address already
        // in use", seen in CI-like runs). Every gRPC port is its sidecar's
        // HTTP port + 50, the rule extra instances follow too.
        daprGrpc: port(envName(appId, "DAPR_GRPC_PORT"), 3550 + n),
        // Not 9090 + n as first drafted: that range holds Kafka's 9092.
        daprMetrics: port(envName(appId, "DAPR_METRICS_PORT"), 9300 + n),
      },
    ]),
  ) as Record<AppId, ServicePorts>;
  return {
    postgres: port("POSTGRES_PORT", 5432),
    kafka: port("KAFKA_PORT", 9092),
    kafkaController: port("KAFKA_CONTROLLER_PORT", 9093),
    scheduler: port("SCHEDULER_PORT", 2406), // Dapr's 50006 lies in the ephemeral range (see daprGrpc)
    schedulerHealth: port("SCHEDULER_HEALTH_PORT", 8081),
    schedulerMetrics: port("SCHEDULER_METRICS_PORT", 9099),
    schedulerEtcdClient: port("SCHEDULER_ETCD_CLIENT_PORT", 2379),
    schedulerEtcdPeer: port("SCHEDULER_ETCD_PEER_PORT", 2380),
    sentry: port("SENTRY_PORT", 2401), // Dapr's 50001, likewise
    sentryHealth: port("SENTRY_HEALTH_PORT", 8082),
    llm: port("LLM_PORT", 4010),
    smtp: port("SMTP_PORT", 2525),
    prometheus: port("PROMETHEUS_PORT", 9090),
    kafkaExporter: port("KAFKA_EXPORTER_PORT", 9308),
    zipkin: port("ZIPKIN_PORT", 9416),
    services,
  };
}

/** The ports the stack itself listens on (not `llm` or `smtp`: other servers' ports the stack's clients use). */
export function allPorts(ports: StackPorts): [string, number][] {
  const { services, llm: _llm, smtp: _smtp, ...infra } = ports;
  return [
    ...Object.entries(infra),
    ...Object.entries(services).flatMap(([id, p]) =>
      Object.entries(p).map(([k, v]) => [`${id} ${k}`, v] as [string, number]),
    ),
  ];
}

/**
 * Extra instances of any service: `<SERVICE>_REPLICAS=N` at launch (e.g.
 * TODO_API_REPLICAS=2), or started by tests through the control port.
 * Instance k (2 to MAX_REPLICAS) is named `<app id>-k`, its sidecar
 * `<app id>-k-dapr`. Its app, sidecar HTTP and metrics ports are its
 * service's plus 10·(k−1), so they stay inside this stack's offset (services
 * are n = 0…5, so no two instances meet). Its gRPC port, like every
 * instance's, is 50 above its own sidecar HTTP port (3560 + n for k = 2 …
 * 3590 + n for k = 5), out of Linux's ephemeral range.
 */
export const MAX_REPLICAS = 5;

/** `todo-api-2` → { appId: "todo-api", index: 2 }; undefined for any other name (a main instance, a sidecar). */
export function parseReplica(name: string): { appId: AppId; index: number } | undefined {
  const match = name.match(/^(.+)-(\d+)$/);
  if (!match) return undefined;
  const appId = match[1] as AppId;
  const index = Number(match[2]);
  if (!SERVICE_ORDER.includes(appId) || index < 2 || index > MAX_REPLICAS) return undefined;
  return { appId, index };
}

export const replicaName = (appId: AppId, index: number) => `${appId}-${index}`;

export function replicaPorts(ports: StackPorts, name: string): ServicePorts {
  const replica = parseReplica(name);
  if (!replica) throw new Error(`no replica named ${name} (<app id>-2 … <app id>-${MAX_REPLICAS})`);
  const base = ports.services[replica.appId];
  const shift = 10 * (replica.index - 1);
  return {
    app: base.app + shift,
    daprHttp: base.daprHttp + shift,
    daprGrpc: base.daprHttp + shift + 50,
    daprMetrics: base.daprMetrics + shift,
  };
}

/** Every replica name the stack could run, with its ports (stack.json lists them for tests). */
export function allReplicas(ports: StackPorts): [string, { appId: AppId; ports: ServicePorts }][] {
  return SERVICE_ORDER.flatMap((appId) =>
    Array.from({ length: MAX_REPLICAS - 1 }, (_, i) => {
      const name = replicaName(appId, i + 2);
      return [name, { appId, ports: replicaPorts(ports, name) }] as [string, { appId: AppId; ports: ServicePorts }];
    }),
  );
}

/** How many instances of each service to start at launch: `<SERVICE>_REPLICAS` (1 when unset). */
export function replicaCounts(env: Record<string, string | undefined>): Partial<Record<AppId, number>> {
  const counts: Partial<Record<AppId, number>> = {};
  for (const appId of SERVICE_ORDER) {
    const name = envName(appId, "REPLICAS");
    const raw = env[name];
    if (!raw) continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > MAX_REPLICAS)
      throw new Error(`${name}: a whole number from 1 to ${MAX_REPLICAS}, not ${raw}`);
    if (n > 1) counts[appId] = n;
  }
  return counts;
}
