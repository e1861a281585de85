// Validates rendered objects against the official schema of their kind:
// - Kubernetes core, Argo CD and KEDA kinds: the kubernetes-models packages.
//   Their runtime validators check types, enums and required fields but let
//   unknown fields through, so every object is also type-checked with tsc
//   against the same packages' interfaces, whose excess-property check
//   rejects unknown fields.
// - Dapr, External Secrets and Prometheus Operator kinds: the CRDs of their
//   pinned Go modules, with ajv.
// - Strimzi kinds: the strict subset in strimzi-schema.ts (see there why).
// A kind with no schema is itself a failure.
import Ajv, { type ValidateFunction } from "ajv";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { daprCrds, externalSecretsCrds, prometheusOperatorCrds } from "./module-crds.ts";
import { label, repoRoot, type K8sObject } from "./render.ts";
import { STRIMZI_SCHEMAS } from "./strimzi-schema.ts";

const MODEL_PACKAGES: Record<string, string> = {
  "argoproj.io": "@kubernetes-models/argo-cd",
  "keda.sh": "@kubernetes-models/keda",
};

/** The kubernetes-models module of an apiVersion/kind, or undefined when none ships it. */
function modelModule({ apiVersion, kind }: K8sObject): string | undefined {
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0]! : "";
  const pkg = MODEL_PACKAGES[group] ?? "kubernetes-models";
  const module = `${pkg}/${apiVersion}/${kind}`;
  return existsSync(join(repoRoot, "node_modules", `${module}.js`)) ? module : undefined;
}

/**
 * A CRD's RE2 `pattern` as a JavaScript one. The only RE2-only syntax in our
 * CRDs is the case-insensitive flag (the Prometheus Operator's
 * `^(?i)(abort|warn)?$`): its letters become classes (`[aA]`). Patterns with
 * escapes or classes keep the flag and fail loudly when ajv compiles them.
 */
function jsPattern(pattern: string): string {
  if (!pattern.includes("(?i)") || /[\\[]/.test(pattern)) return pattern;
  return pattern.replace("(?i)", "").replace(/[a-zA-Z]/g, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

/** Makes a CRD schema strict: objects that list properties and do not preserve unknown fields reject others. */
function strictCrdSchema(node: any): any {
  if (Array.isArray(node)) return node.map(strictCrdSchema);
  if (!node || typeof node !== "object") return node;
  const out: any = {};
  for (const [k, v] of Object.entries(node))
    if (!k.startsWith("x-kubernetes-"))
      out[k] = k === "pattern" && typeof v === "string" ? jsPattern(v) : strictCrdSchema(v);
  if (node.properties && node.additionalProperties === undefined && !node["x-kubernetes-preserve-unknown-fields"])
    out.additionalProperties = false;
  if (node["x-kubernetes-int-or-string"]) out.anyOf = [{ type: "integer" }, { type: "string" }];
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
// Compiled on first use: the External Secrets CRDs alone are megabytes of schema.
let crdSchemas: Map<string, object | ValidateFunction> | undefined;
function crdValidator(o: K8sObject): ValidateFunction | undefined {
  if (!crdSchemas) {
    crdSchemas = new Map();
    for (const crd of [...daprCrds(), ...externalSecretsCrds(), ...prometheusOperatorCrds()])
      for (const v of crd.spec.versions) {
        const schema = strictCrdSchema(v.schema.openAPIV3Schema);
        // The API server checks metadata itself; the CRDs declare only `type: object`.
        schema.properties.metadata = { type: "object", required: ["name"] };
        crdSchemas.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, schema);
      }
    for (const [kind, schema] of Object.entries(STRIMZI_SCHEMAS)) crdSchemas.set(`kafka.strimzi.io/v1/${kind}`, schema);
  }
  const key = `${o.apiVersion}/${o.kind}`;
  const found = crdSchemas.get(key);
  if (!found || typeof found === "function") return found as ValidateFunction | undefined;
  const validate = ajv.compile(found);
  crdSchemas.set(key, validate);
  return validate;
}

/** Runs tsc once over all model-typed objects; returns problems per object index. */
function typeCheck(objects: { o: K8sObject; module: string }[]): Map<number, string[]> {
  const dir = mkdtempSync(join(tmpdir(), "gitops-schema-"));
  const imports = new Map<string, string>();
  const lines = objects.map(({ o, module }) => {
    const alias = imports.get(module) ?? `T${imports.size}`;
    imports.set(module, alias);
    return `export const o = ${JSON.stringify(o)} satisfies ${alias};`;
  });
  const header = [...imports].map(([m, a]) => `import type { I${m.split("/").at(-1)} as ${a} } from "${m}";`);
  writeFileSync(
    join(dir, "objects.ts"),
    [...header, ...lines.map((l, i) => l.replace("const o ", `const o${i} `))].join("\n"),
  );
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: "Preserve",
        moduleResolution: "bundler",
        skipLibCheck: true,
        types: [],
        baseUrl: ".",
        paths: { "*": [join(repoRoot, "node_modules/*")] },
      },
      files: ["objects.ts"],
    }),
  );
  const run = spawnSync("bun", [join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", dir], { encoding: "utf8" });
  rmSync(dir, { recursive: true, force: true });
  const problems = new Map<number, string[]>();
  for (const m of run.stdout.matchAll(/objects\.ts\((\d+),\d+\): error (TS\d+: .*)/g)) {
    const index = Number(m[1]) - 1 - header.length;
    if (index < 0) throw new Error(`schema type check could not load a model: ${m[2]}`);
    problems.set(index, [...(problems.get(index) ?? []), m[2]!]);
  }
  if (run.status !== 0 && problems.size === 0) throw new Error(`tsc failed: ${run.stdout}${run.stderr}`);
  return problems;
}

/** Every schema problem of the given objects, as "Kind/name: message" lines; empty when all are valid. */
export function schemaProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const modelled: { o: K8sObject; module: string }[] = [];
  for (const o of objects) {
    const validate = crdValidator(o);
    if (validate) {
      if (!validate(o))
        problems.push(
          ...validate.errors!.map(
            (e) =>
              `${label(o)}: ${e.instancePath || "/"} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${e.params.additionalProperty})` : ""}`,
          ),
        );
      continue;
    }
    const module = modelModule(o);
    if (!module) {
      problems.push(`${label(o)}: no schema known for ${o.apiVersion} ${o.kind}`);
      continue;
    }
    modelled.push({ o, module });
    const Model = require(join(repoRoot, "node_modules", module))[o.kind];
    try {
      new Model(o).validate();
    } catch (e) {
      problems.push(`${label(o)}: ${(e as Error).message}`);
    }
  }
  if (modelled.length)
    for (const [i, errs] of typeCheck(modelled)) problems.push(...errs.map((e) => `${label(modelled[i]!.o)}: ${e}`));
  return problems;
}
