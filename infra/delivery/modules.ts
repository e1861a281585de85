// Files of pinned Go modules (CRDs, charts, manifests): each module is
// required by a committed wrapper module whose go.sum pins its hash, and read
// from Go's module cache, downloaded there on first use.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

const repoRoot = resolve(import.meta.dir, "../..");
const goEnv = { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod", GONOSUMDB: "*" };

/** The directory of `module` as `wrapper` (a folder under infra/, e.g. "dapr-build") pins it. */
export function moduleDir(wrapper: string, module: string): string {
  const cwd = resolve(repoRoot, "infra", wrapper);
  const list = () =>
    execFileSync("go", ["list", "-m", "-f", "{{.Dir}}", module], { cwd, env: goEnv, encoding: "utf8" }).trim();
  let dir = "";
  try {
    dir = list();
  } catch {}
  if (!dir) {
    execFileSync("go", ["mod", "download", module], { cwd, env: goEnv, stdio: "ignore" });
    dir = list();
  }
  return dir;
}

/** The version `wrapper` requires of `module`. */
export function moduleVersion(wrapper: string, module: string): string {
  const cwd = resolve(repoRoot, "infra", wrapper);
  return execFileSync("go", ["list", "-m", "-f", "{{.Version}}", module], { cwd, env: goEnv, encoding: "utf8" }).trim();
}
