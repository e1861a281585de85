// Shows what a change to gitops/ (or dapr/) does to what Argo CD syncs:
// renders every kustomization in paths.ts at a git revision and in the
// working tree, and prints the objects added, removed or changed. Objects are
// matched by kind, namespace and name, keys sorted, so reordering files,
// documents or keys is no difference. For refactoring the manifests:
//   bun test/support/gitops/render-diff.ts [revision, default main]
// Exits 1 when anything differs.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { APP_PATHS, ENVIRONMENTS } from "./paths.ts";
import { parseObjects, repoRoot, type K8sObject } from "./render.ts";

const DIRS = [...ENVIRONMENTS, ...APP_PATHS, "dapr"];

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  return value;
}

const key = (o: K8sObject) => `${o.kind} ${o.metadata.namespace ?? "-"}/${o.metadata.name}`;

/** Every object each kustomization renders under `root`, by "<dir>: <kind> <namespace>/<name>". */
function renderAll(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const dir of DIRS) {
    const run = spawnSync("kubectl", ["kustomize", join(root, dir)], { encoding: "utf8", maxBuffer: 64 << 20 });
    if (run.status !== 0) {
      out.set(`${dir}: (render)`, run.stderr.trim());
      continue;
    }
    for (const o of parseObjects(run.stdout)) out.set(`${dir}: ${key(o)}`, stringify(sortKeys(o)));
  }
  return out;
}

function diffText(before: string, after: string): string {
  const dir = mkdtempSync(join(tmpdir(), "render-diff-"));
  writeFileSync(join(dir, "before"), before);
  writeFileSync(join(dir, "after"), after);
  const run = spawnSync("diff", ["-u", "--label", "before", "--label", "after", "before", "after"], {
    cwd: dir,
    encoding: "utf8",
  });
  rmSync(dir, { recursive: true, force: true });
  return run.stdout;
}

const revision = process.argv[2] ?? "main";
const snapshot = mkdtempSync(join(tmpdir(), "render-diff-rev-"));
try {
  mkdirSync(snapshot, { recursive: true });
  const archive = execFileSync("git", ["archive", revision], { cwd: repoRoot, maxBuffer: 256 << 20 });
  execFileSync("tar", ["-x", "-C", snapshot], { input: archive });
  const before = renderAll(snapshot);
  const after = renderAll(repoRoot);
  let differences = 0;
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    const [b, a] = [before.get(k), after.get(k)];
    if (b === a) continue;
    differences++;
    if (b === undefined) console.log(`+ ${k}`);
    else if (a === undefined) console.log(`- ${k}`);
    else console.log(`~ ${k}\n${diffText(b, a)}`);
  }
  console.log(`${differences} of ${new Set([...before.keys(), ...after.keys()]).size} objects differ from ${revision}`);
  process.exitCode = differences ? 1 : 0;
} finally {
  rmSync(snapshot, { recursive: true, force: true });
}
