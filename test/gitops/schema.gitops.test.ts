// Every rendered object, and every root Application, validates against the
// official schema of its kind; unknown fields fail (see support/gitops/schema.ts).
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { OPTIONAL_APPS, RENDERED_PATHS, ROOT_APPS } from "../support/gitops/paths.ts";
import { label, parseObjects, render, repoRoot } from "../support/gitops/render.ts";
import { schemaProblems } from "../support/gitops/schema.ts";

const slow = { timeout: 120_000 };

describe("official schemas", () => {
  for (const dir of RENDERED_PATHS)
    test(
      `every object ${dir} renders is valid`,
      () => {
        expect(schemaProblems(render(dir))).toEqual([]);
      },
      slow,
    );

  test(
    "the root Applications and the optional ones are valid",
    () => {
      expect(
        schemaProblems(
          [...ROOT_APPS, ...OPTIONAL_APPS].flatMap((f) => parseObjects(readFileSync(join(repoRoot, f), "utf8"))),
        ),
      ).toEqual([]);
    },
    slow,
  );

  test(
    "each deliberately broken object is reported, unknown fields included (fixture schema-broken.yaml)",
    () => {
      const broken = parseObjects(readFileSync(join(repoRoot, "test/fixtures/gitops/schema-broken.yaml"), "utf8"));
      const problems = schemaProblems(broken);
      for (const o of broken) expect(problems.filter((p) => p.startsWith(`${label(o)}:`))).not.toEqual([]);
    },
    slow,
  );
});
