// One image per service: each Dockerfile bundles its entry point on the
// pinned Bun image (by default: the base is a build argument), runs as a numeric non-root user and has no HEALTHCHECK;
// the bundle step the Dockerfile runs succeeds here for every service.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APP_IDS } from "@todo/shared";
import { repoRoot } from "../support/gitops/render.ts";

const bunVersion = readFileSync(join(repoRoot, ".ci/run"), "utf8").match(/bun@(\S+)/)![1];

/** What is wrong with a Dockerfile's text; empty when it keeps the image rules. */
function dockerfileProblems(text: string): string[] {
  const p: string[] = [];
  // A base given as a build argument (FROM ${BUN_IMAGE}) is checked by its default.
  const args = new Map([...text.matchAll(/^ARG (\w+)=(\S+)/gm)].map((m) => [m[1]!, m[2]!]));
  const froms = [...text.matchAll(/^FROM (\S+)/gm)].map((m) =>
    m[1]!.replace(/^\$\{(\w+)\}$/, (_, name: string) => args.get(name) ?? `\${${name}}`),
  );
  if (froms.length < 2) p.push("not multi-stage");
  for (const f of froms)
    if (!f.startsWith(`oven/bun:${bunVersion}`)) p.push(`${f} is not the official Bun image at ${bunVersion}`);
  if (/^HEALTHCHECK/m.test(text)) p.push("has a HEALTHCHECK");
  const user = text
    .match(/^USER (\S+)/gm)
    ?.at(-1)
    ?.slice(5);
  if (!user || !/^[1-9]\d*(:\d+)?$/.test(user)) p.push(`final USER ${user} is not a numeric non-root user`);
  if (!/^RUN bun build .*--production/m.test(text)) p.push("does not bundle with bun build --production");
  return p;
}

const bundleCommand = (dockerfile: string) => dockerfile.match(/^RUN (bun build .*)$/m)?.[1]?.split(" ");

function bundle(args: string[]): number {
  const out = mkdtempSync(join(tmpdir(), "bundle-"));
  const run = Bun.spawnSync(
    args.map((a) => a.replace("--outfile=/out/", `--outfile=${out}/`)),
    { cwd: repoRoot, stdout: "ignore", stderr: "ignore" },
  );
  rmSync(out, { recursive: true, force: true });
  return run.exitCode;
}

describe("images", () => {
  const services = Object.values(APP_IDS);
  const read = (s: string) => readFileSync(join(repoRoot, "services", s, "Dockerfile"), "utf8");

  for (const s of services)
    test(
      `${s}: the Dockerfile keeps the image rules and its bun build succeeds`,
      () => {
        expect(dockerfileProblems(read(s))).toEqual([]);
        const cmd = bundleCommand(read(s))!;
        expect(cmd).toContain(`./services/${s}/src/main.ts`);
        expect(bundle(cmd)).toBe(0);
      },
      { timeout: 60_000 },
    );

  test("the Dockerfiles differ only in the service name and port", () => {
    const normal = (s: string) =>
      read(s)
        .replaceAll(s, "SERVICE")
        .replace(/\b300\d\b/g, "PORT");
    for (const s of services) expect(normal(s)).toBe(normal(services[0]!));
  });

  test(
    "a broken Dockerfile and an entry point that does not bundle are reported (fixtures Dockerfile.broken, unbundlable/)",
    () => {
      expect(
        dockerfileProblems(readFileSync(join(repoRoot, "test/fixtures/gitops/Dockerfile.broken"), "utf8")).length,
      ).toBeGreaterThanOrEqual(3);
      expect(
        bundle([
          "bun",
          "build",
          "./test/fixtures/gitops/unbundlable/main.ts",
          "--target=bun",
          "--outfile=/out/main.js",
        ]),
      ).not.toBe(0);
    },
    { timeout: 60_000 },
  );
});
