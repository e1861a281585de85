// What the cloud render must hand the services so they work as configured:
// the SMTP login, the token claims to require, and replica counts left to
// the autoscalers. Each check is shown failing on policy-broken.yaml.
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { smtpLoginProblems, tokenClaimProblems } from "../support/gitops/env-policies.ts";
import { autoscaledDeployments, replicaOwnershipProblems } from "../support/gitops/policies.ts";
import { APP_PATHS, CLOUD_ENVS, ENVIRONMENTS } from "../support/gitops/paths.ts";
import { ofKind, parseObjects, render, repoRoot } from "../support/gitops/render.ts";

const slow = { timeout: 60_000 };
const fixture = (section: string) =>
  parseObjects(readFileSync(join(repoRoot, "test/fixtures/gitops/policy-broken.yaml"), "utf8")).filter(
    (o) => o.metadata.labels?.["todo.platform/fixture"] === section,
  );

/** The services whose config spreads jwtConfig(), i.e. that verify the API's tokens (service folder = app id). */
const TOKEN_VERIFIERS = readdirSync(join(repoRoot, "services")).filter((s) => {
  const config = join(repoRoot, "services", s, "src/config.ts");
  return existsSync(config) && readFileSync(config, "utf8").includes("...jwtConfig()");
});

describe("SMTP login", () => {
  for (const env of ENVIRONMENTS.filter((e) => !/\/(kafka|postgres)$/.test(e)))
    test(
      `${env}: wherever notification gets an SMTP password it also gets SMTP_USER`,
      () => {
        expect(smtpLoginProblems(render(env))).toEqual([]);
      },
      slow,
    );

  test("a password without a user is reported (fixture policy-broken.yaml, settings)", () => {
    expect(smtpLoginProblems(fixture("settings"))).toEqual([
      "Deployment/notification: gets an SMTP password but no SMTP_USER, so it never logs in",
    ]);
  });
});

describe("token claims", () => {
  test("the services that verify tokens are todo-api and ws-sync", () => {
    expect(TOKEN_VERIFIERS.sort()).toEqual(["todo-api", "ws-sync"]);
  });

  for (const env of CLOUD_ENVS)
    test(
      `${env}: every service that verifies tokens requires an issuer and an audience`,
      () => {
        expect(tokenClaimProblems(render(env), TOKEN_VERIFIERS)).toEqual([]);
      },
      slow,
    );

  test("a missing audience is reported (fixture policy-broken.yaml, settings)", () => {
    expect(tokenClaimProblems(fixture("settings"), ["todo-api"])).toEqual([
      "Deployment/todo-api: verifies tokens but JWT_AUDIENCE is not set",
    ]);
  });
});

describe("replicas and autoscalers", () => {
  const gitApps = APP_PATHS.flatMap((dir) => ofKind(render(dir), "Application")).filter(
    (a) => a.spec.source?.path && existsSync(join(repoRoot, a.spec.source.path)),
  );

  test(
    "no self-healing Application pins the replicas of a Deployment an autoscaler owns",
    () => {
      expect(gitApps.map((a) => a.spec.source.path)).toContain("gitops/envs/cloud/aks");
      expect(gitApps.flatMap((a) => replicaOwnershipProblems(a, render(a.spec.source.path)))).toEqual([]);
    },
    slow,
  );

  for (const env of CLOUD_ENVS)
    test(
      `${env}: every Deployment is autoscaled from two replicas up, and none sets replicas itself`,
      () => {
        const objects = render(env);
        const deployments = ofKind(objects, "Deployment");
        expect([...autoscaledDeployments(objects)].sort()).toEqual(deployments.map((d) => d.metadata.name).sort());
        expect(deployments.filter((d) => d.spec.replicas !== undefined).map((d) => d.metadata.name)).toEqual([]);
        for (const h of ofKind(objects, "HorizontalPodAutoscaler"))
          expect(h.spec.minReplicas).toBeGreaterThanOrEqual(2);
        for (const s of ofKind(objects, "ScaledObject")) expect(s.spec.minReplicaCount).toBeGreaterThanOrEqual(2);
      },
      slow,
    );

  test(
    "the cloud services app ignores Deployments' replicas and respects that on sync, should a patch pin them again",
    () => {
      for (const provider of ["aks", "gke", "oke"]) {
        const app = ofKind(render(`gitops/apps/cloud/${provider}`), "Application").find(
          (a) => a.metadata.name === "todo-services",
        )!;
        const pinned = render(app.spec.source.path).map((o) =>
          o.kind === "Deployment" ? { ...o, spec: { ...o.spec, replicas: 2 } } : o,
        );
        expect(replicaOwnershipProblems(app, pinned)).toEqual([]);
      }
    },
    slow,
  );

  test("an autoscaled Deployment pinned by a self-healing app is reported (fixture policy-broken.yaml, replicas)", () => {
    const objects = fixture("replicas");
    const app = ofKind(objects, "Application")[0]!;
    expect(replicaOwnershipProblems(app, objects)).toEqual([
      "Application/todo-services: self-heals Deployment/todo-api back to 2 replicas, which an autoscaler owns",
    ]);
  });
});
