// Starts the whole local system (Postgres, Kafka, the Dapr Scheduler, and
// every service with its own daprd), waits until each is ready, and stops it
// all again. `bun run dev` and the integration tests both use it.
import { APP_IDS, ALL_TOPICS, type AppId } from "@todo/shared";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { daprdVersion, startScheduler, startSidecar } from "./dapr.ts";
import { createTopics, deleteTopic, startKafka, type Kafka } from "./kafka.ts";
import {
  allPorts,
  parseReplica,
  replicaCounts,
  replicaName,
  replicaPorts,
  SERVICE_ORDER,
  type ServicePorts,
  type StackPorts,
} from "./ports.ts";
import { startSentry, type Sentry } from "./sentry.ts";
import { startMonitoring } from "./monitoring.ts";
import { startZipkin, writeSidecarTracingConfig, zipkinUrl } from "./zipkin.ts";
import { startPostgres, type Postgres } from "./postgres.ts";
import { httpOk, Proc, step, tcpOpen, waitFor } from "./process.ts";
import { killLeftovers, supervise } from "./supervisor.ts";
import type { Tools } from "./setup.ts";

/** The database each service owns (docs/architecture.md, data ownership). */
export const SERVICE_DATABASES: Partial<Record<AppId, string>> = {
  [APP_IDS.todoApi]: "todo",
  [APP_IDS.notification]: "notification",
  [APP_IDS.recurring]: "recurring",
  [APP_IDS.auditLog]: "audit",
};
const STATE_DATABASE = "dapr_state";
const TOPIC_PARTITIONS = 3;

function projectTopic(topic: string): string {
  if (!(ALL_TOPICS as readonly string[]).includes(topic)) throw new Error(`not one of the project's topics: ${topic}`);
  return topic;
}

/**
 * Settings one service needs beyond the common ones. todo-api's reminder
 * sweeper steps in after 10 s rather than 90 s, so a test of it is quick.
 * notification mails a local SMTP server (the tests start one on that port)
 * and retries within seconds, so an outage test runs in seconds rather than
 * minutes. web lets anyone sign in locally and points browsers at ws-sync's
 * own port (clusters route /ws on the same host).
 */
function serviceEnv(appId: AppId, ports: StackPorts): Record<string, string> {
  if (appId === APP_IDS.web)
    return { WS_URL: `ws://127.0.0.1:${ports.services[APP_IDS.wsSync].app}/ws`, DEV_LOGIN: "true" };
  if (appId === APP_IDS.todoApi) return { REMINDER_SWEEP_MS: "1000", REMINDER_SWEEP_GRACE_MS: "10000" };
  if (appId !== APP_IDS.notification) return {};
  return {
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(ports.smtp),
    SMTP_TIMEOUT_MS: "5000",
    EMAIL_MAX_ATTEMPTS: "6",
    EMAIL_RETRY_BASE_MS: "300",
    EMAIL_RETRY_MAX_MS: "3000",
    EMAIL_POLL_MS: "250",
  };
}

export interface StackOptions {
  repoRoot: string;
  stateDir: string;
  logDir: string;
  ports: StackPorts;
  tools: Tools;
  /** Print every process's output to the console, prefixed. */
  echo: boolean;
  /** Restart services when their source changes (development). */
  watch: boolean;
  /** Throwaway data: Postgres without fsync. */
  ephemeral: boolean;
  logLevel?: string;
  /** The share of new traces recorded, by the sidecars and the services alike (default 1: every one). */
  traceSamplingRate?: number;
  /**
   * todo-api's OpenAI-compatible model endpoint. Unset, the chat answers with
   * its parser at once. The test launcher points it at ports.llm, where the
   * model tests start a scripted stand-in; `bun run dev` passes the user's
   * LLM_BASE_URL, if any.
   */
  llmBaseUrl?: string;
}

export const INFRA_NAMES = ["postgres", "kafka", "dapr-scheduler", "dapr-sentry"] as const;
export type InfraName = (typeof INFRA_NAMES)[number];

export interface Stack {
  ports: StackPorts;
  versions: { daprd: string; kafka: string; postgres: string };
  /** Local, per-run tokens between apps and sidecars. */
  tokens: { dapr: string; app: string };
  /** Where the tests find the mTLS pieces they try (sentry.ts). */
  security: StackSecurity;
  /** Local monitoring's URLs (monitoring.ts). */
  observability: { prometheus: string; zipkin: string };
  /**
   * Resolves once Zipkin answers. The JVM takes longer to start than the rest
   * of the stack, so readiness does not wait for it: spans sent before then are
   * lost, which `bun run dev` can afford and the test run waits out.
   */
  tracesReady: Promise<void>;
  postgres: Postgres;
  kafka: Kafka;
  procs: Map<string, Proc>;
  /** Starts (again) one service's app, or its sidecar, and waits for it. */
  startApp(appId: AppId, extraEnv?: Record<string, string>): Promise<void>;
  startSidecar(appId: AppId): Promise<void>;
  /** Starts Postgres, Kafka or the Scheduler again on its data, after a stop or kill. */
  startInfra(name: InfraName): Promise<void>;
  /** Starts an extra instance (`todo-api-2`, see ports.ts), its app or its sidecar (`<name>-dapr`); Prometheus scrapes it. */
  startReplica(name: string, part: "app" | "sidecar"): Promise<void>;
  /** Stops one process; a stopped extra instance is no longer scraped. */
  stopProc(name: string): Promise<void>;
  /** Deletes one of the project's topics, or creates it again as the launcher does (fault tests). */
  deleteTopic(topic: string): Promise<void>;
  createTopic(topic: string): Promise<void>;
  stop(): Promise<void>;
}

export interface StackSecurity {
  /** Sentry's root certificate (PEM file). */
  trustAnchorsFile: string;
  /** The Scheduler's certificate and key from Sentry (cert.pem, key.pem): a client identity from our CA. */
  schedulerIdentityDir: string;
  /** The SQLite name-resolution file: each sidecar's internal gRPC address (table `hosts`). */
  nameResolutionDb: string;
}

export async function startStack(o: StackOptions): Promise<Stack> {
  mkdirSync(o.stateDir, { recursive: true });
  chmodSync(o.stateDir, 0o755); // the postgres user must reach its data directory below
  mkdirSync(o.logDir, { recursive: true });
  await killLeftovers(o.stateDir);
  const launchReplicas = Object.entries(replicaCounts(process.env)).flatMap(([appId, n]) =>
    Array.from({ length: n - 1 }, (_, i) => replicaName(appId as AppId, i + 2)),
  );
  await ensurePortsFree(o.ports, launchReplicas);
  const { procs, track, restartLater, stop } = supervise(o.stateDir);
  const tracked = <T extends { proc: Proc }>(started: T): T => {
    track(started.proc);
    return started;
  };

  try {
    step("starting Postgres, Kafka, Dapr Sentry and the Dapr Scheduler");
    const common = { logDir: o.logDir, echo: o.echo };
    let sentry: Sentry | undefined;
    const schedulerIdentityDir = join(o.stateDir, "scheduler-identity");
    // Each piece of infrastructure can be started again on its data (fault tests).
    const startInfra = {
      postgres: () =>
        startPostgres({
          ...common,
          binDir: o.tools.postgresBin,
          dataDir: join(o.stateDir, "postgres"),
          port: o.ports.postgres,
          databases: [...Object.values(SERVICE_DATABASES), STATE_DATABASE] as string[],
          ephemeral: o.ephemeral,
        }).then(tracked),
      kafka: () =>
        startKafka({
          ...common,
          home: o.tools.kafkaHome,
          dataDir: join(o.stateDir, "kafka"),
          port: o.ports.kafka,
          controllerPort: o.ports.kafkaController,
          topics: ALL_TOPICS,
          partitions: TOPIC_PARTITIONS,
          repoRoot: o.repoRoot,
        }).then(tracked),
      "dapr-sentry": () =>
        startSentry({
          ...common,
          binDir: o.tools.sentryBin,
          dataDir: join(o.stateDir, "sentry"),
          port: o.ports.sentry,
          healthPort: o.ports.sentryHealth,
        }).then((s) => {
          sentry = tracked(s);
          return s;
        }),
      "dapr-scheduler": () =>
        startScheduler({
          ...common,
          binDir: o.tools.daprBin,
          sentry: sentry!,
          identityDir: schedulerIdentityDir,
          dataDir: join(o.stateDir, "scheduler"),
          port: o.ports.scheduler,
          healthPort: o.ports.schedulerHealth,
          metricsPort: o.ports.schedulerMetrics,
          etcdClientPort: o.ports.schedulerEtcdClient,
          etcdPeerPort: o.ports.schedulerEtcdPeer,
        }).then(track),
    };
    // First: the slowest to start, and it depends on nothing.
    const tracesReady = startZipkin({ ...common, track, jar: o.tools.zipkinJar, port: o.ports.zipkin }).then(() => {});
    tracesReady.catch(() => {}); // whoever waits for it sees the error; unwatched it must not crash the launcher
    // The Scheduler gets its certificate from Sentry, which is up in milliseconds.
    const [postgres, kafka] = await settleAll([
      startInfra.postgres(),
      startInfra.kafka(),
      startInfra["dapr-sentry"]().then(startInfra["dapr-scheduler"]),
    ]);

    const tokens = loadOrCreateTokens(o.stateDir);
    const sidecarEnv = {
      KAFKA_BROKERS: kafka.bootstrap,
      STATE_STORE_URL: postgres.url(STATE_DATABASE),
      NAME_RESOLUTION_DB: join(o.stateDir, "name-resolution.db"),
      SECRETS_FILE: join(o.repoRoot, "dapr/secrets.local.json"),
      APP_API_TOKEN: tokens.app,
      DAPR_API_TOKEN: tokens.dapr,
    };

    const startApp = async (
      appId: AppId,
      extraEnv: Record<string, string> = {},
      name: string = appId,
      ports: ServicePorts = o.ports.services[appId],
    ) => {
      const db = SERVICE_DATABASES[appId];
      const entry = join(o.repoRoot, "services", appId, "src/main.ts");
      const proc = track(
        new Proc({
          name,
          cwd: o.repoRoot,
          cmd: o.watch ? ["bun", "--watch", entry] : ["bun", entry],
          onCrash: restartLater(() => startApp(appId, extraEnv, name, ports)),
          env: {
            HOST: "127.0.0.1",
            PORT: String(ports.app),
            DAPR_HTTP_PORT: String(ports.daprHttp),
            DAPR_API_TOKEN: tokens.dapr,
            APP_API_TOKEN: tokens.app,
            LOG_LEVEL: o.logLevel ?? "info",
            DATABASE_URL: db ? postgres.url(db) : undefined,
            ZIPKIN_URL: zipkinUrl(o.ports.zipkin), // where the service sends its spans
            TRACE_SAMPLING_RATE: String(o.traceSamplingRate ?? 1),
            ...serviceEnv(appId, o.ports),
            ...extraEnv,
            LLM_BASE_URL: appId === APP_IDS.todoApi ? o.llmBaseUrl : undefined,
          },
          ...common,
        }),
      );
      await waitFor(`${name} /readyz`, () => httpOk(`http://127.0.0.1:${ports.app}/readyz`), 60_000, proc);
    };
    const tracingConfig = writeSidecarTracingConfig(o.stateDir, o.ports.zipkin, o.traceSamplingRate ?? 1);
    const startSidecarOf = async (
      appId: AppId,
      name = `${appId}-dapr`,
      ports: ServicePorts = o.ports.services[appId],
    ) => {
      const proc = track(
        startSidecar({
          ...common,
          binDir: o.tools.daprBin,
          appId,
          name,
          ports,
          schedulerPort: o.ports.scheduler,
          sentry: sentry!,
          repoRoot: o.repoRoot,
          env: sidecarEnv,
          logLevel: "warn",
          extraConfigs: [tracingConfig],
          onCrash: restartLater(() => startSidecarOf(appId, name, ports)),
        }),
      );
      await waitFor(`${name}`, () => httpOk(`http://127.0.0.1:${ports.daprHttp}/v1.0/healthz`), 60_000, proc);
    };

    step("starting the services and their Dapr sidecars, and Prometheus");
    const [observability] = await settleAll([
      startMonitoring({
        ...common,
        repoRoot: o.repoRoot,
        stateDir: o.stateDir,
        ports: o.ports,
        tools: o.tools,
        kafka,
        track,
      }),
      ...SERVICE_ORDER.flatMap((id) => [startSidecarOf(id), startApp(id)]),
    ]);
    const startReplica = async (name: string, part: "app" | "sidecar") => {
      const appId = parseReplica(name)?.appId;
      if (!appId) throw new Error(`no replica named ${name}`);
      const ports = replicaPorts(o.ports, name);
      await (part === "app" ? startApp(appId, {}, name, ports) : startSidecarOf(appId, `${name}-dapr`, ports));
      observability.targets.add(part === "app" ? name : `${name}-dapr`, appId, ports);
    };
    // Opt-in extra instances (`<SERVICE>_REPLICAS=N`), e.g. to try scale-out by hand.
    // App and sidecar together: each waits for the other to answer.
    await settleAll(launchReplicas.flatMap((name) => [startReplica(name, "sidecar"), startReplica(name, "app")]));
    return {
      ports: o.ports,
      versions: { daprd: await daprdVersion(o.tools.daprBin), kafka: kafka.version, postgres: postgres.version },
      tokens,
      observability: { prometheus: observability.prometheus, zipkin: zipkinUrl(o.ports.zipkin) },
      tracesReady,
      security: {
        trustAnchorsFile: sentry!.trustAnchorsFile,
        schedulerIdentityDir,
        nameResolutionDb: sidecarEnv.NAME_RESOLUTION_DB,
      },
      postgres,
      kafka,
      procs,
      startApp: (appId: AppId, extraEnv?: Record<string, string>) => startApp(appId, extraEnv),
      startSidecar: (appId: AppId) => startSidecarOf(appId),
      startReplica,
      stopProc: async (name) => {
        await procs.get(name)?.stop();
        observability.targets.remove(name); // a scale-down; no-op for anything but an extra instance
      },
      deleteTopic: (topic) => deleteTopic(kafka, projectTopic(topic)),
      createTopic: async (topic) =>
        void (await createTopics(kafka, o.repoRoot, TOPIC_PARTITIONS, [projectTopic(topic)])),
      startInfra: async (name) => {
        await startInfra[name]();
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Like Promise.all, but waits for every start to finish before failing, so
 * that nothing is still starting (and escapes the clean-up) when we stop.
 */
async function settleAll<T extends readonly unknown[]>(
  starts: readonly [...{ [K in keyof T]: Promise<T[K]> }],
): Promise<T> {
  const results = await Promise.allSettled(starts);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** Per-state-dir random tokens: nothing to commit, stable across dev restarts. */
function loadOrCreateTokens(stateDir: string): { dapr: string; app: string } {
  const file = join(stateDir, "tokens.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  const tokens = { dapr: randomBytes(24).toString("base64url"), app: randomBytes(24).toString("base64url") };
  writeFileSync(file, JSON.stringify(tokens), { mode: 0o600 });
  return tokens;
}

async function ensurePortsFree(ports: StackPorts, replicas: string[]) {
  const busy = [];
  const replicaPortList = replicas.flatMap((name) =>
    Object.entries(replicaPorts(ports, name)).map(([k, v]) => [`${name} ${k}`, v] as [string, number]),
  );
  for (const [what, port] of [...allPorts(ports), ...replicaPortList])
    if (await tcpOpen(port)) busy.push(`${port} (${what})`);
  if (busy.length) {
    throw new Error(
      `ports already in use: ${busy.join(", ")}.\nIs another stack running? Stop it, or move this one with STACK_PORT_OFFSET or the per-port variables (README).`,
    );
  }
}
