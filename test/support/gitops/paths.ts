// Every kustomization Argo CD or a person renders: the environments and the
// Argo CD source paths. A test checks that no kustomization.yaml under
// gitops/ is missing from this list.
export const ENVIRONMENTS = [
  "gitops/envs/local",
  "gitops/envs/local/kafka",
  "gitops/envs/local/postgres",
  "gitops/envs/cloud/base",
  "gitops/envs/cloud/aks",
  "gitops/envs/cloud/gke",
  "gitops/envs/cloud/oke",
];
export const APP_PATHS = [
  "gitops/apps/local",
  "gitops/apps/cloud/aks",
  "gitops/apps/cloud/gke",
  "gitops/apps/cloud/oke",
  "gitops/apps/argocd",
];
export const CLOUD_ENVS = ENVIRONMENTS.filter((p) => p.startsWith("gitops/envs/cloud"));
export const ROOT_APPS = ["gitops/apps/roots/local.yaml", "gitops/apps/roots/cloud.yaml"];
// What the monitoring-config Applications sync (PodMonitors, alert rules,
// dashboards, trace collector), in the cloud and on Minikube.
export const MONITORING = ["gitops/monitoring/cloud", "gitops/monitoring/local"];
// Applied by hand, not reachable from a root: optional extras (README).
export const OPTIONAL_APPS = ["gitops/apps/optional/monitoring-local.yaml"];
export const OPTIONAL_APP_PATHS = ["gitops/apps/local-monitoring"];
// Every kustomization above, each rendered and schema-checked.
export const RENDERED_PATHS = [...ENVIRONMENTS, ...APP_PATHS, ...MONITORING, ...OPTIONAL_APP_PATHS];
