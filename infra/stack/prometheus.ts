// Local monitoring: Prometheus (Debian's package) scraping every app's
// /metrics, every sidecar's and the Scheduler's metrics port, and Kafka's
// offsets and lag through infra/kafka/LagExporter.java, with the platform's
// alert rules (observability/prometheus-rule.yaml) loaded as the cloud loads
// them. The apps and sidecars are file_sd targets the launcher rewrites as
// extra instances start and stop (ScrapeTargets); Prometheus re-reads them
// without a restart.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import type { ServicePorts } from "./ports.ts";
import { httpOk, Proc, waitFor } from "./process.ts";

/** The rule groups of the platform's PrometheusRule, as a Prometheus rules file wants them. */
export function alertRuleGroups(repoRoot: string): {
  groups: { name: string; rules: { alert?: string; expr: string }[] }[];
} {
  const rule = parse(readFileSync(join(repoRoot, "observability/prometheus-rule.yaml"), "utf8"));
  return { groups: rule.spec.groups };
}

export interface PrometheusOptions {
  binDir: string;
  repoRoot: string;
  dataDir: string;
  port: number;
  services: Record<string, ServicePorts>;
  schedulerMetricsPort: number;
  kafkaExporterPort: number;
  logDir: string;
  echo: boolean;
  /** Told of the process as soon as it exists, so the launcher stops it even if it never gets ready. */
  track: (proc: Proc) => void;
  /** How often to scrape and evaluate rules; short locally, so a test sees a change within seconds. */
  intervalSeconds?: number;
}

export interface Prometheus {
  proc: Proc;
  url: string;
  targets: ScrapeTargets;
}

type Job = "app" | "daprd";

/**
 * Which app and sidecar instances Prometheus scrapes: every service's main
 * instance, and the extra instances (`todo-api-2`, its sidecar
 * `todo-api-2-dapr`) while they run. One file_sd file per job, replaced
 * whole (written aside, then renamed) so Prometheus never reads half a file.
 */
export class ScrapeTargets {
  private readonly extra = new Map<string, { appId: string; ports: ServicePorts }>();

  constructor(
    private readonly dir: string,
    private readonly services: Record<string, ServicePorts>,
  ) {
    mkdirSync(dir, { recursive: true });
    this.write();
  }

  file(job: Job): string {
    return join(this.dir, `${job}.json`);
  }

  /** An extra instance's app (`todo-api-2`) or sidecar (`todo-api-2-dapr`) is up: scrape it. */
  add(name: string, appId: string, ports: ServicePorts): void {
    this.extra.set(name, { appId, ports });
    this.write();
  }

  /** An extra instance was stopped on purpose (a scale-down): no longer a target. */
  remove(name: string): void {
    if (this.extra.delete(name)) this.write();
  }

  private write() {
    for (const job of ["app", "daprd"] as const) {
      const port = (p: ServicePorts) => (job === "app" ? p.app : p.daprMetrics);
      const extras = [...this.extra].filter(([name]) => name.endsWith("-dapr") === (job === "daprd"));
      const groups = [
        ...Object.entries(this.services).map(([appId, ports]) => ({ appId, ports })),
        ...extras.map(([, instance]) => instance),
      ].map(({ appId, ports }) => ({ targets: [`127.0.0.1:${port(ports)}`], labels: { app_id: appId } }));
      writeFileSync(`${this.file(job)}.tmp`, JSON.stringify(groups));
      renameSync(`${this.file(job)}.tmp`, this.file(job));
    }
  }
}

export async function startPrometheus(o: PrometheusOptions): Promise<Prometheus> {
  mkdirSync(o.dataDir, { recursive: true });
  const rulesFile = join(o.dataDir, "rules.yaml");
  writeFileSync(rulesFile, stringify(alertRuleGroups(o.repoRoot)));
  const targets = new ScrapeTargets(join(o.dataDir, "targets"), o.services);
  const config = join(o.dataDir, "prometheus.yml");
  writeFileSync(config, stringify(scrapeConfig(o, rulesFile, targets)));
  const url = `http://127.0.0.1:${o.port}`;
  const proc = new Proc({
    name: "prometheus",
    cmd: [
      join(o.binDir, "prometheus"),
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(o.dataDir, "data")}`,
      "--storage.tsdb.retention.time=2d",
      `--web.listen-address=127.0.0.1:${o.port}`,
      "--log.level=warn",
    ],
    logDir: o.logDir,
    echo: o.echo,
  });
  o.track(proc);
  await waitFor(`Prometheus on port ${o.port}`, () => httpOk(`${url}/-/ready`), 60_000, proc);
  return { proc, url, targets };
}

/** Jobs: `app` and `daprd` (labelled with app_id), `dapr-scheduler`, `kafka-exporter`. */
function scrapeConfig(o: PrometheusOptions, rulesFile: string, targets: ScrapeTargets) {
  const interval = `${o.intervalSeconds ?? 5}s`;
  // Prometheus watches the files; the refresh is the fallback should a change notification be missed.
  const fromFile = (job: Job) => [{ files: [targets.file(job)], refresh_interval: interval }];
  return {
    global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
    rule_files: [rulesFile],
    scrape_configs: [
      { job_name: "app", file_sd_configs: fromFile("app") },
      { job_name: "daprd", file_sd_configs: fromFile("daprd") },
      { job_name: "dapr-scheduler", static_configs: [{ targets: [`127.0.0.1:${o.schedulerMetricsPort}`] }] },
      { job_name: "kafka-exporter", static_configs: [{ targets: [`127.0.0.1:${o.kafkaExporterPort}`] }] },
    ],
  };
}

/** Kafka's topic offsets and consumer-group lag on /metrics, from a small JVM beside the broker. */
export async function startKafkaExporter(o: {
  repoRoot: string;
  classpath: string;
  bootstrap: string;
  port: number;
  logDir: string;
  echo: boolean;
  track: (proc: Proc) => void;
}): Promise<Proc> {
  const proc = new Proc({
    name: "kafka-exporter",
    cmd: [
      "java",
      "-Xmx96m",
      "-XX:+UseSerialGC",
      "-cp",
      o.classpath,
      join(o.repoRoot, "infra/kafka/LagExporter.java"),
      o.bootstrap,
      String(o.port),
    ],
    logDir: o.logDir,
    echo: o.echo,
  });
  o.track(proc);
  // Compiled from source at each start: slow on a busy machine.
  await waitFor(`Kafka exporter on port ${o.port}`, () => httpOk(`http://127.0.0.1:${o.port}/metrics`), 180_000, proc);
  return proc;
}
