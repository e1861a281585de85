// docs/security.md's table, the local Dapr resources (dapr/access/, the
// pub/sub components) and the rendered cluster ones must grant the same, and
// every app's Configuration must deny whatever it does not grant.
import { describe, expect, test } from "bun:test";
import { APP_IDS } from "@todo/shared";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { ENVIRONMENTS } from "../support/gitops/paths.ts";
import { ofKind, render, repoRoot } from "../support/gitops/render.ts";
import {
  accessControlProblems,
  matrixFromResources,
  matrixFromTable,
  unscopedPubsubApps,
} from "../support/security-matrix.ts";

const APPS = Object.values(APP_IDS);
const table = readFileSync(join(repoRoot, "docs/security.md"), "utf8");
const yamlIn = (dir: string) =>
  readdirSync(join(repoRoot, dir))
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((f) => parseAllDocuments(readFileSync(join(repoRoot, dir, f), "utf8")).map((d) => d.toJS()));
const local = [...yamlIn("dapr/access"), ...yamlIn("dapr/components")];
// Every environment that runs the services (not the Kafka- or Postgres-only ones).
const SERVICE_ENVS = ENVIRONMENTS.filter((e) => !/\/(kafka|postgres)$/.test(e));
const slow = { timeout: 60_000 };

describe("docs/security.md", () => {
  test("its table reads as a matrix: every app has a row, and it grants something", () => {
    const m = matrixFromTable(table, { local: true });
    expect(m.calls.length).toBeGreaterThan(0);
    expect(m.publishes.length).toBeGreaterThan(0);
    expect(m.subscribes.length).toBeGreaterThan(0);
    expect(m.secrets.length).toBeGreaterThan(0);
  });

  test("the local Configurations and pub/sub components grant exactly what the table says", () => {
    expect(matrixFromResources(local)).toEqual(matrixFromTable(table, { local: true }));
  });

  for (const env of SERVICE_ENVS)
    test(
      `${env} grants exactly what the table says, less the local-only secrets`,
      () => {
        expect(matrixFromResources(render(env))).toEqual(matrixFromTable(table, { local: false }));
      },
      slow,
    );

  test("a grant missing from the table is noticed", () => {
    const edited = table.replace("`POST /internal/occurrences`", "`GET /internal/occurrences`");
    expect(matrixFromResources(local)).not.toEqual(matrixFromTable(edited, { local: true }));
  });
});

describe("every app's Configuration", () => {
  test("locally: deny by default, policies by identity in trust domain public and namespace todo, secrets denied by default", () => {
    expect(accessControlProblems(local, APPS)).toEqual([]);
  });

  for (const env of SERVICE_ENVS)
    test(
      `${env}: the same, and each Deployment names its app's Configuration`,
      () => {
        const objects = render(env);
        expect(accessControlProblems(objects, APPS)).toEqual([]);
        const named = ofKind(objects, "Deployment").map((d) => [
          d.metadata.name,
          d.spec.template.metadata.annotations["dapr.io/config"],
        ]);
        expect(named.sort()).toEqual(APPS.map((a) => [a, a]).sort());
      },
      slow,
    );

  test("a Configuration that allows by default is reported", () => {
    const loose = local.map((r) =>
      r.kind === "Configuration" && r.metadata.name === "web"
        ? { ...r, spec: { ...r.spec, accessControl: { ...r.spec.accessControl, defaultAction: "allow" } } }
        : r,
    );
    expect(accessControlProblems(loose, APPS)).toEqual([
      "web: accessControl must deny by default in trust domain public",
    ]);
  });
});

describe("pub/sub components", () => {
  test(
    "every app a component is scoped to is named in both its publishing and its subscription scopes",
    () => {
      expect(unscopedPubsubApps(local)).toEqual([]);
      for (const env of SERVICE_ENVS) expect(unscopedPubsubApps(render(env))).toEqual([]);
    },
    slow,
  );

  test("an app left out of the topic scopes is reported", () => {
    const pubsub = local.find((r) => r.kind === "Component" && r.metadata.name === "pubsub");
    const loose = {
      ...pubsub,
      spec: {
        ...pubsub.spec,
        metadata: pubsub.spec.metadata.filter((e: { name: string }) => e.name !== "subscriptionScopes"),
      },
    };
    expect(unscopedPubsubApps([loose])).toEqual([
      "pubsub: todo-api missing from subscriptionScopes",
      "pubsub: notification missing from subscriptionScopes",
      "pubsub: recurring missing from subscriptionScopes",
      "pubsub: audit-log missing from subscriptionScopes",
    ]);
  });
});
