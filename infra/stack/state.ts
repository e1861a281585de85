// Where the stack keeps its data, and the description of a running stack
// that the integration tests read (STACK_INFO names the file).
import { join } from "node:path";
import { allReplicas, type ServicePorts } from "./ports.ts";
import type { Stack } from "./stack.ts";

/** Persistent data of `bun run dev`. As root it must be reachable by the postgres user. */
export function devStateDir(): string {
  if (process.env.TODO_PLATFORM_STATE) return process.env.TODO_PLATFORM_STATE;
  if (process.getuid?.() === 0) return "/var/lib/todo-platform/dev";
  return join(process.env.XDG_STATE_HOME ?? join(process.env.HOME ?? "/tmp", ".local/state"), "todo-platform/dev");
}

export interface StackInfo {
  repoRoot: string;
  logDir: string;
  ports: Stack["ports"];
  tokens: Stack["tokens"];
  security?: Stack["security"];
  versions: Stack["versions"];
  kafka: { bootstrap: string; classpath: string };
  databases: Record<string, string>;
  /** Extra instances tests may start through the control port (`ws-sync-2` and its `ws-sync-2-dapr`, `todo-api-3`, …), with their ports. */
  replicas?: Record<string, { appId: string; ports: ServicePorts }>;
  /** Local monitoring's URLs (Prometheus). */
  observability?: Stack["observability"];
  /** Where tests stop, kill and restart processes (infra/stack/control.ts). */
  controlUrl?: string;
}

export function describeStack(stack: Stack, repoRoot: string, logDir: string, databases: string[]): StackInfo {
  return {
    repoRoot,
    logDir,
    ports: stack.ports,
    tokens: stack.tokens,
    security: stack.security,
    observability: stack.observability,
    versions: stack.versions,
    kafka: { bootstrap: stack.kafka.bootstrap, classpath: stack.kafka.classpath },
    databases: Object.fromEntries(databases.map((db) => [db, stack.postgres.url(db)])),
    replicas: Object.fromEntries(allReplicas(stack.ports)),
  };
}
