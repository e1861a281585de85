// The repository stands alone: no tracked file names the design brief that
// lives outside it or a path that climbs out of it, and every relative link
// in its Markdown leads to a file that exists.
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { linkProblems } from "../support/links.ts";

const root = join(import.meta.dir, "../..");
const exists = (path: string) => existsSync(join(root, path));
// Lockfiles hold registry paths, not links; binaries hold no text; the
// fixture is broken on purpose.
const SKIPPED = /(^|\/)(bun\.lock|package-lock\.json)$|\.(png|jpe?g|gif|ico|woff2?)$|^test\/fixtures\/links\//;

/** Tracked files and new ones not ignored: what a commit would hold. */
function trackedFiles(): string[] {
  const git = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
  });
  if (git.status !== 0) throw new Error(`git ls-files failed: ${git.stderr}`);
  return git.stdout.split("\0").filter((f) => f && !SKIPPED.test(f) && exists(f));
}

describe("the repository stands alone", () => {
  test("no tracked file links outside the repository, and every relative Markdown link resolves", () => {
    const files = trackedFiles();
    expect(files).toContain("docs/architecture.md");
    expect(files.flatMap((f) => linkProblems(f, readFileSync(join(root, f), "utf8"), exists))).toEqual([]);
  });

  test("a page naming the brief, climbing out, and linking to nothing is reported (fixture links/broken.md)", () => {
    const file = "test/fixtures/links/broken.md";
    const problems = linkProblems(file, readFileSync(join(root, file), "utf8"), exists);
    expect(problems.filter((p) => p.includes("outside the repository")).length).toBeGreaterThanOrEqual(3);
    const nothing = problems.filter((p) => p.includes("points to nothing"));
    expect(nothing).toHaveLength(1);
    expect(nothing[0]).toEndWith("docs/plan.md points to nothing");
    expect(problems.some((p) => p.includes("reliability.md"))).toBe(false);
  });
});
