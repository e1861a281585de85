// Fetches or builds what the stack runs (Postgres, Kafka, Dapr, Prometheus, Zipkin), each by its
// idempotent script in infra/setup, in parallel, showing their progress.
import { join } from "node:path";
import { step } from "./process.ts";

export interface Tools {
  postgresBin: string;
  kafkaHome: string;
  daprBin: string;
  /** Holds Dapr's `sentry`: beside daprd, unless daprd came from PATH or `dapr init` without one. */
  sentryBin: string;
  /** Holds `prometheus` and `promtool` (Debian's package). */
  prometheusBin: string;
  /** Zipkin's server, the `exec` jar from Maven Central. */
  zipkinJar: string;
}

/** Runs infra/setup/<name>.sh; its last line of output is where the tool is. */
async function setupScript(repoRoot: string, name: string): Promise<string> {
  const child = Bun.spawn(["bash", join(repoRoot, "infra/setup", `${name}.sh`)], { stdout: "pipe", stderr: "inherit" });
  const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
  if (code !== 0) throw new Error(`infra/setup/${name}.sh failed with code ${code}`);
  return out.trim().split("\n").at(-1) ?? "";
}

/** Only Prometheus's binaries: the unit tests of the alert rules run promtool. */
export const ensurePrometheus = (repoRoot: string) => setupScript(repoRoot, "prometheus");

/** Only Postgres's binaries: the quick test tier needs nothing else. */
export const ensurePostgres = (repoRoot: string) => setupScript(repoRoot, "postgres");

export async function ensureTools(repoRoot: string): Promise<Tools> {
  const script = (name: string) => setupScript(repoRoot, name);
  const started = Date.now();
  // Sentry after daprd and the Scheduler: on a cold cache the two Go builds would only fight over the cores.
  const dapr = script("dapr").then(async (daprBin) => ({ daprBin, sentryBin: await script("sentry") }));
  const [postgresBin, kafkaHome, { daprBin, sentryBin }, prometheusBin, zipkinJar] = await Promise.all([
    script("postgres"),
    script("kafka"),
    dapr,
    script("prometheus"),
    script("zipkin"),
  ]);
  const seconds = (Date.now() - started) / 1000;
  if (seconds > 2) step(`tools ready in ${seconds.toFixed(0)}s`);
  return { postgresBin, kafkaHome, daprBin, sentryBin, prometheusBin, zipkinJar };
}
