// The cluster monitoring (gitops/monitoring, synced by monitoring-config):
// the alert rules are the very file the local Prometheus loads, the
// dashboards reach Grafana's sidecar, the scrape targets match the services'
// pods, and the cloud sidecars send their traces to the collector it deploys.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { CLOUD_ENVS, MONITORING } from "../support/gitops/paths.ts";
import { ofKind, render, repoRoot } from "../support/gitops/render.ts";

const slow = { timeout: 60_000 };
const ruleFile = parse(readFileSync(join(repoRoot, "observability/prometheus-rule.yaml"), "utf8"));

describe("cluster monitoring", () => {
  for (const dir of MONITORING)
    test(
      `${dir}: the PrometheusRule is observability/prometheus-rule.yaml, and both dashboards reach Grafana`,
      () => {
        const objects = render(dir);
        const [rule] = ofKind(objects, "PrometheusRule");
        expect(rule!.spec).toEqual(ruleFile.spec);
        expect(rule!.metadata.labels).toEqual(ruleFile.metadata.labels);
        const dashboards = ofKind(objects, "ConfigMap").filter((c) => c.metadata.labels?.grafana_dashboard === "1");
        const titles = dashboards.flatMap((c) =>
          Object.values(c.data as Record<string, string>).map((j) => JSON.parse(j).title),
        );
        expect(titles.sort()).toEqual(["Todo: a write through the pipeline", "Todo: platform"]);
      },
      slow,
    );

  test(
    "the PodMonitors select the services' pods on ports their containers name, in their namespace",
    () => {
      const cloud = render("gitops/envs/cloud/aks");
      const monitors = ofKind(render("gitops/monitoring/cloud"), "PodMonitor");
      for (const deployment of ofKind(cloud, "Deployment")) {
        const pod = deployment.spec.template;
        for (const m of monitors) {
          expect(m.spec.namespaceSelector.matchNames).toContain(deployment.metadata.namespace);
          for (const [k, v] of Object.entries(m.spec.selector.matchLabels)) expect(pod.metadata.labels[k]).toBe(v);
        }
        const ports = pod.spec.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => p.name));
        expect(ports).toContain(
          monitors.find((m) => m.metadata.name === "todo-apps")!.spec.podMetricsEndpoints[0].port,
        );
        expect(pod.metadata.annotations["dapr.io/metrics-port"]).toBe("9090");
      }
    },
    slow,
  );

  // Local sidecars read dapr/config.yaml; the clusters' get the same metric settings, so neither grows a series per reminder.
  const localMetric = parse(readFileSync(join(repoRoot, "dapr/config.yaml"), "utf8")).spec.metric;
  for (const env of ["gitops/envs/local", ...CLOUD_ENVS])
    test(
      `${env}: every Dapr Configuration keeps HTTP metrics at low cardinality with the local path patterns`,
      () => {
        const configurations = ofKind(render(env), "Configuration");
        expect(configurations.length).toBeGreaterThan(0);
        expect(localMetric.http.increasedCardinality).toBe(false);
        expect(localMetric.http.pathMatching).toContain("/job/{name}");
        for (const c of configurations)
          expect({ name: c.metadata.name, metric: c.spec.metric }).toEqual({
            name: c.metadata.name,
            metric: localMetric,
          });
      },
      slow,
    );

  for (const env of CLOUD_ENVS)
    test(
      `${env}: every Dapr Configuration samples a share of traces and sends them to the collector`,
      () => {
        const collector = ofKind(render("gitops/monitoring/cloud"), "Service").find(
          (s) => s.metadata.name === "otel-collector",
        )!;
        const zipkinPort = collector.spec.ports.find((p: any) => p.name === "zipkin").port;
        const configurations = ofKind(render(env), "Configuration");
        expect(configurations.length).toBeGreaterThan(0);
        for (const c of configurations) {
          expect(Number(c.spec.tracing.samplingRate)).toBeGreaterThan(0);
          expect(Number(c.spec.tracing.samplingRate)).toBeLessThan(1);
          expect(c.spec.tracing.zipkin.endpointAddress).toBe(
            `http://otel-collector.${collector.metadata.namespace}.svc.cluster.local:${zipkinPort}/api/v2/spans`,
          );
        }
      },
      slow,
    );

  for (const env of CLOUD_ENVS)
    test(
      `${env}: every service sends its own spans to the collector, at the sidecars' sampling rate`,
      () => {
        const objects = render(env);
        const collector = ofKind(render("gitops/monitoring/cloud"), "Service").find(
          (s) => s.metadata.name === "otel-collector",
        )!;
        const zipkinPort = collector.spec.ports.find((p: any) => p.name === "zipkin").port;
        const sidecarRate = ofKind(objects, "Configuration")[0]!.spec.tracing.samplingRate;
        const deployments = ofKind(objects, "Deployment");
        expect(deployments.length).toBe(6);
        for (const d of deployments) {
          const env = Object.fromEntries(
            d.spec.template.spec.containers
              .find((c: any) => c.name === "app")
              .env.map((e: any) => [e.name, e.value ?? "(from a reference)"]),
          );
          expect({ deployment: d.metadata.name, zipkin: env.ZIPKIN_URL, rate: env.TRACE_SAMPLING_RATE }).toEqual({
            deployment: d.metadata.name,
            zipkin: `http://otel-collector.${collector.metadata.namespace}.svc.cluster.local:${zipkinPort}`,
            rate: sidecarRate,
          });
          expect(env.PORT).toBeDefined(); // the base's variables are kept, not replaced
        }
      },
      slow,
    );
});
