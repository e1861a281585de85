// docs/security.md's table and the local Dapr resources (dapr/access/, the
// pub/sub components) must grant the same, and every app's Configuration must
// deny whatever it does not grant. The rendered cluster resources are held to
// the same table in test/gitops/security-matrix.gitops.test.ts.
import { describe, expect, test } from "bun:test";
import { APP_IDS } from "@todo/shared";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { repoRoot } from "../support/gitops/render.ts";
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

  test("a grant missing from the table is noticed", () => {
    const edited = table.replace("`POST /internal/occurrences`", "`GET /internal/occurrences`");
    expect(matrixFromResources(local)).not.toEqual(matrixFromTable(edited, { local: true }));
  });
});

describe("every app's Configuration", () => {
  test("locally: deny by default, policies by identity in trust domain public and namespace todo, secrets denied by default", () => {
    expect(accessControlProblems(local, APPS)).toEqual([]);
  });

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
  test("locally, every app a component is scoped to is named in both its publishing and its subscription scopes", () => {
    expect(unscopedPubsubApps(local)).toEqual([]);
  });

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
