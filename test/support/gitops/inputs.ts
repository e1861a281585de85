// What a kustomization reads from the repository: its resources and
// components (followed into each folder's own kustomization), patch files and
// generator files. The delivery tier hands Argo CD only some folders
// (infra/delivery/git-source.ts, SOURCE_PATHS), as a user's repository must
// hold them all; a path outside them renders here and fails there.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, normalize, relative } from "node:path";
import { parse } from "yaml";

/** Repository-relative paths of every file and folder `dir`'s kustomization reads, `dir` included. */
export function kustomizationInputs(repoRoot: string, dir: string, seen = new Set<string>()): Set<string> {
  if (seen.has(dir)) return seen;
  seen.add(dir);
  const file = join(repoRoot, dir, "kustomization.yaml");
  if (!existsSync(file)) return seen;
  const k = parse(readFileSync(file, "utf8")) ?? {};
  const generatorFiles = [...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])].flatMap(
    (g: { files?: string[] }) => (g.files ?? []).map((f) => f.split("=").at(-1)!),
  );
  const entries: string[] = [
    ...(k.resources ?? []),
    ...(k.components ?? []),
    ...(k.patches ?? []).flatMap((p: { path?: string }) => (p.path ? [p.path] : [])),
    ...generatorFiles,
  ];
  for (const entry of entries.filter((e) => !e.includes("://"))) {
    const path = normalize(join(dir, entry));
    const full = join(repoRoot, path);
    if (existsSync(full) && statSync(full).isDirectory()) kustomizationInputs(repoRoot, path, seen);
    else seen.add(path);
  }
  return seen;
}

/** The inputs of `dirs` that lie outside every one of `roots`. */
export function inputsOutside(repoRoot: string, dirs: string[], roots: string[]): string[] {
  const inputs = new Set(dirs.flatMap((d) => [...kustomizationInputs(repoRoot, d)]));
  const inside = (p: string) => roots.some((r) => !relative(r, p).startsWith(".."));
  return [...inputs].filter((p) => !inside(p)).sort();
}
