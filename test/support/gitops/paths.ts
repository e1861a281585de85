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
