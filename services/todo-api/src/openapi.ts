// Serves GET /openapi: the document @elysiajs/openapi generates from the
// route schemas, mended where that generator misstates our API (Elysia
// workaround 10 in docs/architecture.md; schemathesis
// found each of these):
// - a response declared without a body renders as the invalid media type
//   `{ "type": "void" }`: we drop such content;
// - request bodies are documented as form data too, which the API refuses:
//   only application/json stays;
// - numbers in paths and queries appear as "string or integer" (Elysia's
//   coercion): only the integer stays;
// - DELETE's 204 cannot be declared at all: we add it;
// - health, readiness and the document itself need no token;
// - every authenticated route may answer 429, every route with a body 400
//   and 413: added where a route's own schema does not list them;
// - /mcp speaks MCP (its own discovery), not REST: left out.
import { Elysia } from "elysia";

// biome-ignore lint/suspicious/noExplicitAny: the generated document is arbitrary JSON, walked and patched by key.
type Json = Record<string, any>;

const PUBLIC = new Set(["/healthz", "/readyz"]);

export function tidyOpenApi(raw: Json): Json {
  const doc = structuredClone(raw);
  for (const path of Object.keys(doc.paths ?? {}))
    if (path === "/mcp" || path.startsWith("/mcp/")) delete doc.paths[path];
  for (const [path, operations] of Object.entries<Json>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<Json>(operations)) {
      for (const response of Object.values<Json>(op.responses ?? {})) {
        if (response.content && !Object.keys(response.content).some((k) => k.includes("/"))) delete response.content;
      }
      const body = op.requestBody?.content;
      if (body?.["application/json"]) op.requestBody.content = { "application/json": body["application/json"] };
      if (method === "delete") op.responses = { 204: { description: "Deleted" }, ...op.responses };
      if (PUBLIC.has(path)) op.security = [];
      const errorResponse = Object.entries<Json>(op.responses ?? {}).find(
        ([code, r]) => code.startsWith("4") && r.content?.["application/json"],
      )?.[1];
      if (errorResponse) {
        const add = (code: string, description: string) => (op.responses[code] ??= { ...errorResponse, description });
        if (!PUBLIC.has(path)) add("429", "Too many requests (see Retry-After)");
        if (op.requestBody) {
          add("400", "Malformed JSON");
          add("413", "Body too large");
        }
      }
      op.parameters = (op.parameters ?? []).map((p: Json) => ({ ...p, schema: withoutCoercion(p.schema) }));
    }
  }
  return doc;
}

function withoutCoercion(schema: Json | undefined): Json | undefined {
  const variants: Json[] | undefined = schema?.anyOf;
  if (variants?.length !== 2) return schema;
  const coerced = variants.find(
    (v) => v.type === "string" && (v.format === "integer" || v.format === "numeric" || v.format === "number"),
  );
  const real = variants.find((v) => v !== coerced);
  return coerced && real ? { ...real, ...(schema!.description ? { description: schema!.description } : {}) } : schema;
}

const RAW_PATH = "/openapi/generated";

/** The plugin publishes its raw document at RAW_PATH; this route serves the mended one at /openapi. */
export function openApiRoute(generate: (request: Request) => Promise<Response>) {
  let cached: Json | undefined;
  return new Elysia().get(
    "/openapi",
    async () => {
      cached ??= tidyOpenApi((await (await generate(new Request(`http://localhost${RAW_PATH}`))).json()) as Json);
      return cached;
    },
    { detail: { hide: true } },
  );
}

export const OPENAPI_RAW_PATH = RAW_PATH;
