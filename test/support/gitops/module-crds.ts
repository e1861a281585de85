// CRD schemas from pinned Go modules (downloaded into Go's module cache if
// needed): Dapr's (infra/dapr-build/go.mod) and the External Secrets
// Operator's and the Prometheus Operator's (infra/kube-build/sources/go.mod).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { moduleDir } from "../../../infra/delivery/modules.ts";

export const daprModuleDir = () => moduleDir("dapr-build", "github.com/dapr/dapr");

/** The CRDs in the YAML files of a directory, parsed (by Bun's native parser: the `yaml` package takes seconds per large CRD). */
function crdsIn(dir: string): any[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((f) => [Bun.YAML.parse(readFileSync(join(dir, f), "utf8"))].flat())
    .filter((d: any) => d?.kind === "CustomResourceDefinition");
}

/** The CRDs shipped in the Dapr module's Helm chart. */
export const daprCrds = () => crdsIn(join(daprModuleDir(), "charts/dapr/crds"));

/** The External Secrets Operator's CRDs, as its chart installs them. */
export const externalSecretsCrds = () =>
  crdsIn(join(moduleDir("kube-build/sources", "github.com/external-secrets/external-secrets"), "config/crds/bases"));

/** The Prometheus Operator's CRDs (PodMonitor, PrometheusRule, …), as kube-prometheus-stack installs them. */
export const prometheusOperatorCrds = () =>
  crdsIn(
    join(
      moduleDir("kube-build/sources", "github.com/prometheus-operator/prometheus-operator"),
      "example/prometheus-operator-crd",
    ),
  );
