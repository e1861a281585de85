// The policies every environment keeps (support/gitops/policies.ts), each
// shown to fail on a deliberately broken fixture.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import {
  componentScopeProblems,
  deploymentProblems,
  kafkaTopicProblems,
  kedaProblems,
  plaintextCredentialProblems,
  syncPolicyProblems,
  syncWaveProblems,
} from "../support/gitops/policies.ts";
import { APP_PATHS, CLOUD_ENVS, ENVIRONMENTS } from "../support/gitops/paths.ts";
import { ofKind, parseObjects, render, repoRoot, type K8sObject } from "../support/gitops/render.ts";

const slow = { timeout: 60_000 };
const SERVICE_ENVS = ENVIRONMENTS.filter((e) => !/\/(kafka|postgres)$/.test(e));
const fixture = (file: string, section?: string) =>
  parseObjects(readFileSync(join(repoRoot, "test/fixtures/gitops", file), "utf8")).filter(
    (o) => !section || o.metadata.labels?.["todo.platform/fixture"] === section,
  );
const clone = <T>(x: T): T => structuredClone(x);

describe("Deployments", () => {
  for (const env of SERVICE_ENVS)
    test(
      `${env}: six Deployments with Dapr annotations, probes, security context, resources and graceful termination`,
      () => {
        const deployments = ofKind(render(env), "Deployment");
        expect(deployments.map((d) => d.metadata.name).sort()).toEqual([
          "audit-log",
          "notification",
          "recurring",
          "todo-api",
          "web",
          "ws-sync",
        ]);
        expect(deployments.flatMap(deploymentProblems)).toEqual([]);
        for (const d of deployments)
          expect(ofKind(render(env), "ServiceAccount").map((s) => s.metadata.name)).toContain(
            d.spec.template.spec.serviceAccountName,
          );
      },
      slow,
    );

  test(
    "the broken fixture and each single missing property are reported (fixture deployment-broken.yaml)",
    () => {
      expect(fixture("deployment-broken.yaml").flatMap(deploymentProblems).length).toBeGreaterThanOrEqual(10);
      const good = ofKind(render("gitops/envs/local"), "Deployment")[0]!;
      const breakers: [string, (d: K8sObject) => void][] = [
        ["dapr.io/enabled", (d) => delete d.spec.template.metadata.annotations["dapr.io/enabled"]],
        ["dapr.io/app-id", (d) => (d.spec.template.metadata.annotations["dapr.io/app-id"] = "nobody")],
        ["dapr.io/app-port", (d) => (d.spec.template.metadata.annotations["dapr.io/app-port"] = "1")],
        ["dapr.io/app-protocol", (d) => (d.spec.template.metadata.annotations["dapr.io/app-protocol"] = "grpc")],
        ["dapr.io/config", (d) => delete d.spec.template.metadata.annotations["dapr.io/config"]],
        ["dapr.io/app-token-secret", (d) => delete d.spec.template.metadata.annotations["dapr.io/app-token-secret"]],
        ["readiness", (d) => delete d.spec.template.spec.containers[0].readinessProbe],
        ["liveness", (d) => (d.spec.template.spec.containers[0].livenessProbe.httpGet.path = "/readyz")],
        ["runAsNonRoot", (d) => delete d.spec.template.spec.securityContext.runAsNonRoot],
        [
          "readOnlyRootFilesystem",
          (d) => (d.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false),
        ],
        ["drop ALL", (d) => (d.spec.template.spec.containers[0].securityContext.capabilities.drop = [])],
        ["limits", (d) => delete d.spec.template.spec.containers[0].resources.limits],
        ["grace period", (d) => delete d.spec.template.spec.terminationGracePeriodSeconds],
        ["own ServiceAccount", (d) => (d.spec.template.spec.serviceAccountName = "default")],
      ];
      for (const [what, breakIt] of breakers) {
        const broken = clone(good);
        breakIt(broken);
        expect({ what, problems: deploymentProblems(broken).length }).not.toEqual({ what, problems: 0 });
      }
    },
    slow,
  );
});

describe("Dapr components", () => {
  for (const env of SERVICE_ENVS)
    test(
      `${env}: each component is scoped to exactly the app ids that use it`,
      () => {
        const objects = render(env);
        expect(
          ofKind(objects, "Component")
            .map((c) => c.metadata.name)
            .sort(),
        ).toEqual(["pubsub", "pubsub-fanout", "secretstore", "statestore"]);
        expect(componentScopeProblems(objects)).toEqual([]);
      },
      slow,
    );

  test("a component missing a subscriber in its scopes is reported (fixture policy-broken.yaml, scopes)", () => {
    expect(componentScopeProblems(fixture("policy-broken.yaml", "scopes"))).toEqual([
      "Component/pubsub: scopes [todo-api] but used by [recurring,todo-api]",
    ]);
  });

  test(
    "clusters use the same Subscriptions and resiliency as dapr/ (one source)",
    () => {
      const fromDapr = (dir: string) => parseObjects(readFileSync(join(repoRoot, "dapr", dir), "utf8"));
      const local = render("gitops/envs/local");
      const strip = (o: K8sObject) => ({ ...o, metadata: { name: o.metadata.name } });
      for (const f of [
        "subscriptions/audit-log-task-events.yaml",
        "subscriptions/notification-reminders.yaml",
        "subscriptions/recurring-task-events.yaml",
        "subscriptions/ws-sync-task-updates.yaml",
        "components/resiliency.yaml",
        "components/resiliency-invocation.yaml",
      ])
        for (const o of fromDapr(f))
          expect(strip(local.find((r) => r.kind === o.kind && r.metadata.name === o.metadata.name)!)).toEqual(o);
    },
    slow,
  );

  test(
    "in clusters ws-sync's consumer group is per pod and the secret store is Kubernetes'",
    () => {
      for (const env of SERVICE_ENVS) {
        const components = ofKind(render(env), "Component");
        const fanout = components.find((c) => c.metadata.name === "pubsub-fanout")!;
        expect(fanout.spec.metadata.find((m: any) => m.name === "consumerGroup").value).toContain("{podName}");
        expect(components.find((c) => c.metadata.name === "secretstore")!.spec.type).toBe("secretstores.kubernetes");
      }
    },
    slow,
  );
});

describe("Kafka topics", () => {
  test(
    "gitops/envs/local/kafka has a KafkaTopic for each of ALL_TOPICS, no more",
    () => {
      expect(kafkaTopicProblems(render("gitops/envs/local/kafka"))).toEqual([]);
    },
    slow,
  );

  test("a missing dead-letter topic is reported (fixture policy-broken.yaml, topics)", () => {
    expect(kafkaTopicProblems(fixture("policy-broken.yaml", "topics"))).toHaveLength(1);
  });
});

describe("KEDA", () => {
  for (const env of CLOUD_ENVS)
    test(
      `${env}: the lag scalers watch the Dapr consumer groups of notification, recurring and audit-log`,
      () => {
        const objects = render(env);
        expect(
          ofKind(objects, "ScaledObject")
            .map((s) => s.metadata.name)
            .sort(),
        ).toEqual(["audit-log", "notification", "recurring"]);
        expect(kedaProblems(objects)).toEqual([]);
        expect(
          ofKind(objects, "HorizontalPodAutoscaler")
            .map((h) => h.metadata.name)
            .sort(),
        ).toEqual(["todo-api", "web", "ws-sync"]);
      },
      slow,
    );

  test("a trigger on another consumer group is reported (fixture policy-broken.yaml, keda + scopes)", () => {
    const objects = [...fixture("policy-broken.yaml", "keda"), ...fixture("policy-broken.yaml", "scopes")];
    expect(kedaProblems(objects)).toEqual([
      "ScaledObject/recurring: consumer group recurring-consumers but Dapr's is recurring",
    ]);
  });
});

describe("cloud", () => {
  for (const env of CLOUD_ENVS)
    test(
      `${env}: no plaintext credentials; disruption budgets, topology spread (replicas: cloud-settings.gitops.test.ts)`,
      () => {
        const objects = render(env);
        expect(plaintextCredentialProblems(objects)).toEqual([]);
        for (const d of ofKind(objects, "Deployment"))
          expect(d.spec.template.spec.topologySpreadConstraints?.length).toBeGreaterThan(0);
        expect(ofKind(objects, "PodDisruptionBudget")).toHaveLength(6);
      },
      slow,
    );

  test("a Secret in git, a literal SASL password and a URL with a password are reported (fixture policy-broken.yaml, credentials)", () => {
    expect(plaintextCredentialProblems(fixture("policy-broken.yaml", "credentials"))).toHaveLength(3);
  });
});

describe("Argo CD", () => {
  const apps = (dir: string) => ofKind(render(dir), "Application");
  const appPaths = APP_PATHS.filter((p) => !p.endsWith("argocd"));

  for (const dir of appPaths)
    test(
      `${dir}: waves order platform, then Kafka and Postgres, then services; sync is automated with prune and selfHeal`,
      () => {
        expect(syncWaveProblems(apps(dir))).toEqual([]);
        expect(syncPolicyProblems(apps(dir))).toEqual([]);
      },
      slow,
    );

  test("services before the platform, and sync without prune, are reported (fixture policy-broken.yaml, waves)", () => {
    const broken = fixture("policy-broken.yaml", "waves");
    expect(syncWaveProblems(broken)).toHaveLength(1);
    expect(syncPolicyProblems(broken)).toHaveLength(1);
  });

  test(
    "the Dapr chart is the version infra/dapr-build pins, with mTLS on and the Scheduler's storage pinned",
    () => {
      const goVersion = readFileSync(join(repoRoot, "infra/dapr-build/go.mod"), "utf8").match(
        /^require github.com\/dapr\/dapr v(\S+)$/m,
      )![1];
      for (const dir of appPaths.filter((p) => p !== "gitops/apps/argocd")) {
        const dapr = apps(dir).find((a) => a.metadata.name === "dapr")!;
        expect(dapr.spec.source.targetRevision).toBe(goVersion);
        expect(dapr.spec.source.helm.valuesObject.global.mtls.enabled).toBe(true);
        expect(dapr.spec.source.helm.valuesObject.dapr_scheduler.cluster.storageSize).toMatch(/^\d+Gi$/);
        expect(dapr.spec.ignoreDifferences.map((d: any) => d.name)).toContain("subscriptions.dapr.io");
      }
    },
    slow,
  );

  test(
    "charts are pinned to exact versions and the Strimzi and KEDA charts use server-side apply",
    () => {
      const platform = appPaths.flatMap(apps).filter((a) => a.spec.source.chart);
      for (const a of platform) expect(a.spec.source.targetRevision).toMatch(/^\d+\.\d+\.\d+$/);
      for (const a of platform.filter((a) => a.metadata.name !== "dapr"))
        expect(a.spec.syncPolicy.syncOptions).toContain("ServerSideApply=true");
    },
    slow,
  );

  test(
    "argocd-cm gives Applications a health check, so waves wait",
    () => {
      const cm = render("gitops/apps/argocd").find((o) => o.kind === "ConfigMap" && o.metadata.name === "argocd-cm")!;
      expect(cm.data["resource.customizations.health.argoproj.io_Application"]).toContain("obj.status.health");
      // A CRD not yet established is Progressing, not Degraded (README "Minikube").
      expect(cm.data["resource.customizations.health.apiextensions.k8s.io_CustomResourceDefinition"]).toContain(
        "Established",
      );
    },
    slow,
  );
});

describe("delivery workflow", () => {
  test("updates the image tags of the cloud env that Argo CD syncs", () => {
    const workflow = parse(readFileSync(join(repoRoot, ".github/workflows/deliver.yml"), "utf8"));
    const text = JSON.stringify(workflow);
    expect(text).toContain("gitops/envs/cloud/base");
    for (const name of ["todo-api", "notification", "recurring", "audit-log", "ws-sync"]) expect(text).toContain(name);
  });
});
