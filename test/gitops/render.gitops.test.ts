// Every environment and every Argo CD source path renders with
// `kubectl kustomize`, and every Application points at a folder that does.
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { SOURCE_PATHS } from "../../infra/delivery/git-source.ts";
import { inputsOutside } from "../support/gitops/inputs.ts";
import { applicationPathProblems } from "../support/gitops/policies.ts";
import { OPTIONAL_APPS, RENDERED_PATHS, ROOT_APPS } from "../support/gitops/paths.ts";
import { kustomize, ofKind, parseObjects, render, repoRoot, type K8sObject } from "../support/gitops/render.ts";

const exists = (dir: string) => existsSync(join(repoRoot, dir)) && statSync(join(repoRoot, dir)).isDirectory();
const slow = { timeout: 60_000 };

function kustomizationDirs(dir: string): string[] {
  const here = readdirSync(join(repoRoot, dir), { withFileTypes: true });
  const own = here.some((e) => e.name === "kustomization.yaml") ? [dir] : [];
  return [...own, ...here.filter((e) => e.isDirectory()).flatMap((e) => kustomizationDirs(join(dir, e.name)))];
}

/** Applications reachable from the roots (or from `roots`), following each git-sourced app's rendered path. */
function reachableApplications(roots = ROOT_APPS): K8sObject[] {
  const seen: K8sObject[] = [];
  const queue = roots.flatMap((f) => parseObjects(readFileSync(join(repoRoot, f), "utf8")));
  while (queue.length) {
    const app = queue.shift()!;
    seen.push(app);
    const path = app.spec.source?.path;
    if (path && exists(path)) queue.push(...ofKind(render(path), "Application"));
  }
  return seen;
}

describe("kubectl kustomize", () => {
  for (const dir of [...RENDERED_PATHS, "dapr", "observability"])
    test(
      `${dir} renders`,
      () => {
        expect(render(dir).length).toBeGreaterThan(0);
      },
      slow,
    );

  test(
    "every other kustomization under gitops/ renders on its own (Components render through their users)",
    () => {
      const standalone = kustomizationDirs("gitops").filter(
        (d) => parse(readFileSync(join(repoRoot, d, "kustomization.yaml"), "utf8")).kind !== "Component",
      );
      expect(standalone.filter((d) => !kustomize(d).ok)).toEqual([]);
    },
    slow,
  );

  test(
    "a broken kustomization fails to render (fixture unrenderable/)",
    () => {
      const r = kustomize(join(repoRoot, "test/fixtures/gitops/unrenderable"));
      expect(r.ok).toBe(false);
    },
    slow,
  );
});

describe("Argo CD source paths", () => {
  test(
    "every Application reachable from the root apps points at a folder that exists and renders",
    () => {
      const apps = reachableApplications();
      expect(apps.map((a) => a.metadata.name).sort()).toEqual([
        "dapr",
        "dapr",
        "external-secrets",
        "kafka",
        "keda",
        "monitoring",
        "monitoring-config",
        "postgres",
        "strimzi-operator",
        "todo-cloud",
        "todo-local",
        "todo-services",
        "todo-services",
      ]);
      expect(applicationPathProblems(apps, kustomize, exists)).toEqual([]);
    },
    slow,
  );

  test(
    "the optional local monitoring reaches the chart and our objects, and every path renders",
    () => {
      const apps = reachableApplications(OPTIONAL_APPS);
      expect(apps.map((a) => a.metadata.name).sort()).toEqual([
        "monitoring",
        "monitoring-config",
        "todo-local-monitoring",
      ]);
      expect(apps.find((a) => a.metadata.name === "monitoring-config")!.spec.source.path).toBe(
        "gitops/monitoring/local",
      );
      expect(applicationPathProblems(apps, kustomize, exists)).toEqual([]);
    },
    slow,
  );

  test(
    "every provider's apps point at that provider's env",
    () => {
      for (const provider of ["aks", "gke", "oke"]) {
        const services = ofKind(render(`gitops/apps/cloud/${provider}`), "Application").find(
          (a) => a.metadata.name === "todo-services",
        )!;
        expect(services.spec.source.path).toBe(`gitops/envs/cloud/${provider}`);
      }
    },
    slow,
  );

  test("every kustomization reads only what the delivery tier's repository holds (SOURCE_PATHS)", () => {
    expect(inputsOutside(repoRoot, RENDERED_PATHS, SOURCE_PATHS)).toEqual([]);
    // Followed through folders: a path outside is found (fixture outside-source/).
    expect(inputsOutside(repoRoot, ["test/fixtures/gitops/outside-source"], SOURCE_PATHS)).toEqual([
      "infra/no-such-manifest.yaml",
    ]);
  });

  test("an Application whose path does not exist is reported (fixture policy-broken.yaml, paths)", () => {
    const fixture = parseObjects(
      readFileSync(join(repoRoot, "test/fixtures/gitops/policy-broken.yaml"), "utf8"),
    ).filter((o) => o.metadata.labels?.["todo.platform/fixture"] === "paths");
    expect(applicationPathProblems(fixture, kustomize, exists)).toEqual([
      "Application/nowhere: path gitops/envs/nowhere does not exist",
    ]);
  });
});
