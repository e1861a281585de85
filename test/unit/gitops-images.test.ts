// One Dockerfile builds every service's image (build argument SERVICE): it
// bundles the service's entry point on the pinned Bun image (by default: the
// base is a build argument), runs as a numeric non-root user and has no
// HEALTHCHECK; the bundle step it runs succeeds here for every service.
import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
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
  if (!/^ARG SERVICE$/m.test(text)) p.push("does not take the service as the build argument SERVICE");
  if (/^HEALTHCHECK/m.test(text)) p.push("has a HEALTHCHECK");
  const user = text
    .match(/^USER (\S+)/gm)
    ?.at(-1)
    ?.slice(5);
  if (!user || !/^[1-9]\d*(:\d+)?$/.test(user)) p.push(`final USER ${user} is not a numeric non-root user`);
  if (!/^RUN bun build .*--production/m.test(text)) p.push("does not bundle with bun build --production");
  return p;
}

/** The Dockerfile's server bundle step for one service (its SERVICE argument substituted). */
const bundleCommand = (dockerfile: string, service: string) =>
  dockerfile
    .match(/^RUN (bun build .*)$/m)?.[1]
    ?.replace(/\$\{SERVICE\}/g, service)
    .split(" ");

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
  const dockerfile = readFileSync(join(repoRoot, "Dockerfile"), "utf8");

  test("the Dockerfile keeps the image rules", () => {
    expect(dockerfileProblems(dockerfile)).toEqual([]);
  });

  for (const s of services)
    test(
      `${s}: its bun build, as the Dockerfile runs it with SERVICE=${s}, succeeds`,
      () => {
        const cmd = bundleCommand(dockerfile, s)!;
        expect(cmd).toContain(`./services/${s}/src/main.ts`);
        expect(bundle(cmd)).toBe(0);
      },
      { timeout: 60_000 },
    );

  test("no service has a Dockerfile of its own to drift from the shared one", () => {
    expect(services.filter((s) => existsSync(join(repoRoot, "services", s, "Dockerfile")))).toEqual([]);
  });

  test(
    "a broken Dockerfile and an entry point that does not bundle are reported (fixtures Dockerfile.broken, unbundlable/)",
    () => {
      expect(
        dockerfileProblems(readFileSync(join(repoRoot, "test/fixtures/gitops/Dockerfile.broken"), "utf8")).length,
      ).toBeGreaterThanOrEqual(4);
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
