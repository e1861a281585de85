// The git repository Argo CD syncs from in the delivery tests: a bare
// repository (file://) made from the working tree's gitops/, dapr/ (which
// gitops/base reuses), observability/ (the alert rules gitops/monitoring/base
// includes) and test/fixtures/gitops, uncommitted changes included, with the repository URLs
// a user replaces (README "Deploying") pointed at it and the charts'
// repositories pointed at the local Helm repository. A working clone beside
// it lets a test commit a change, as a user pushing to main would.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const repoRoot = resolve(import.meta.dir, "../..");
/** What the repository's Applications name as their git source (README: replace OWNER). */
export const PLACEHOLDER_REPO = "https://github.com/OWNER/todo-platform.git";
/** What goes into the repository: what Argo CD syncs, and the broken fixtures a test syncs on purpose. */
export const SOURCE_PATHS = ["gitops", "dapr", "observability", "test/fixtures/gitops"];

export interface GitSource {
  /** The repository URL Argo CD reads. */
  url: string;
  /** The working clone a test edits. */
  clone: string;
  /** Commits every change in the clone and pushes it to main; returns the new revision. */
  commit(message: string): string;
}

function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "delivery test",
      GIT_AUTHOR_EMAIL: "test@localhost",
      GIT_COMMITTER_NAME: "delivery test",
      GIT_COMMITTER_EMAIL: "test@localhost",
    },
  }).trim();
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return name.endsWith(".yaml") ? [path] : [];
  });
}

/**
 * `rewrites`: text replaced in every YAML file of gitops/apps (the chart
 * repositories), besides the placeholder repository URL.
 */
export function makeGitSource(dir: string, rewrites: [string, string][]): GitSource {
  const bare = join(dir, "todo-platform.git");
  const clone = join(dir, "clone");
  const url = `file://${bare}`;
  mkdirSync(clone, { recursive: true });
  // Tracked and untracked-but-not-ignored files, as they are on disk.
  const files = git(repoRoot, ["ls-files", "--cached", "--others", "--exclude-standard", ...SOURCE_PATHS])
    .split("\n")
    .filter(Boolean);
  for (const file of new Set(files)) {
    const from = join(repoRoot, file);
    try {
      statSync(from);
    } catch {
      continue; // deleted in the working tree
    }
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    cpSync(from, join(clone, file));
  }
  for (const file of yamlFiles(join(clone, "gitops/apps"))) {
    let text = readFileSync(file, "utf8").replaceAll(PLACEHOLDER_REPO, url);
    for (const [from, to] of rewrites) text = text.replaceAll(from, to);
    writeFileSync(file, text);
  }
  git(clone, ["init", "-q", "-b", "main"]);
  git(clone, ["add", "-A"]);
  git(clone, ["commit", "-q", "-m", "the working tree, repository URLs rewritten for the test"]);
  git(dir, ["clone", "-q", "--bare", clone, bare]);
  git(clone, ["remote", "add", "origin", bare]);
  return {
    url,
    clone,
    commit(message) {
      git(clone, ["add", "-A"]);
      git(clone, ["commit", "-q", "-m", message]);
      git(clone, ["push", "-q", "origin", "main"]);
      return git(clone, ["rev-parse", "HEAD"]);
    },
  };
}
