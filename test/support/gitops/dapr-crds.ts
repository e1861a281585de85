// The Dapr CRDs' schemas, from the Dapr Go module pinned in
// infra/dapr-build/go.mod (downloaded into Go's module cache if needed).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { repoRoot } from "./render.ts";

const goEnv = { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod", GONOSUMDB: "*" };

export function daprModuleDir(): string {
  const cwd = join(repoRoot, "infra/dapr-build");
  const list = () => execFileSync("go", ["list", "-m", "-f", "{{.Dir}}", "github.com/dapr/dapr"], { cwd, env: goEnv, encoding: "utf8" }).trim();
  let dir = "";
  try {
    dir = list();
  } catch {}
  if (!dir) {
    execFileSync("go", ["mod", "download", "github.com/dapr/dapr"], { cwd, env: goEnv, stdio: "ignore" });
    dir = list();
  }
  return dir;
}

/** The CRDs shipped in the module's Helm chart, parsed. */
export function daprCrds(): any[] {
  const dir = join(daprModuleDir(), "charts/dapr/crds");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), "utf8")).map((d) => d.toJS()))
    .filter((d) => d?.kind === "CustomResourceDefinition");
}
