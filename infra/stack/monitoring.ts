// Starts local monitoring beside the services: the Kafka exporter and
// Prometheus scraping everything the launcher runs (prometheus.ts). The trace
// backend, Zipkin (zipkin.ts), starts earlier, with the infrastructure.
import { join } from "node:path";
import type { Kafka } from "./kafka.ts";
import type { StackPorts } from "./ports.ts";
import type { Proc } from "./process.ts";
import { type ScrapeTargets, startKafkaExporter, startPrometheus } from "./prometheus.ts";
import type { Tools } from "./setup.ts";

export interface MonitoringOptions {
  repoRoot: string;
  stateDir: string;
  logDir: string;
  echo: boolean;
  ports: StackPorts;
  tools: Tools;
  kafka: Pick<Kafka, "bootstrap" | "classpath">;
  track: (proc: Proc) => void;
}

/** Prometheus's URL, and the app and sidecar targets it scrapes (extra instances join and leave). */
export async function startMonitoring(o: MonitoringOptions): Promise<{ prometheus: string; targets: ScrapeTargets }> {
  const common = { logDir: o.logDir, echo: o.echo, track: o.track };
  const [, prometheus] = await Promise.all([
    startKafkaExporter({
      ...common,
      repoRoot: o.repoRoot,
      classpath: o.kafka.classpath,
      bootstrap: o.kafka.bootstrap,
      port: o.ports.kafkaExporter,
    }),
    startPrometheus({
      ...common,
      binDir: o.tools.prometheusBin,
      repoRoot: o.repoRoot,
      dataDir: join(o.stateDir, "prometheus"),
      port: o.ports.prometheus,
      services: o.ports.services,
      schedulerMetricsPort: o.ports.schedulerMetrics,
      kafkaExporterPort: o.ports.kafkaExporter,
    }),
  ]);
  return { prometheus: prometheus.url, targets: prometheus.targets };
}
