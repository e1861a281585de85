// What every rendered environment grants equals docs/security.md's table
// (less its local-only secrets), and every app's cluster Configuration denies
// whatever it does not grant. The local resources and the checks' own
// failure cases are in test/unit/security-matrix.test.ts.
import { describe, expect, test } from "bun:test";
import { APP_IDS } from "@todo/shared";
import { readFileSync } from "node:fs";
import { join } from "node:path";
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
// Every environment that runs the services (not the Kafka- or Postgres-only ones).
const SERVICE_ENVS = ENVIRONMENTS.filter((e) => !/\/(kafka|postgres)$/.test(e));
const slow = { timeout: 60_000 };

describe("each environment that runs the services", () => {
  for (const env of SERVICE_ENVS) {
    test(
      `${env} grants exactly what docs/security.md's table says, less the local-only secrets`,
      () => {
        expect(matrixFromResources(render(env))).toEqual(matrixFromTable(table, { local: false }));
      },
      slow,
    );

    test(
      `${env}: every app's Configuration denies by default, and each Deployment names its app's Configuration`,
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

    test(
      `${env}: every app a component is scoped to is named in both its publishing and its subscription scopes`,
      () => {
        expect(unscopedPubsubApps(render(env))).toEqual([]);
      },
      slow,
    );
  }
});
