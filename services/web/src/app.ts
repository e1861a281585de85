// web: serves the browser client and, so the browser talks to one origin,
// forwards /api/* to todo-api through Dapr service invocation.
import { Elysia, t } from "elysia";
import {
  APP_IDS,
  errorBody,
  errorHandler,
  healthRoutes,
  sidecarReachable,
  signToken,
  type DaprClient,
  type Logger,
  observeHttp,
} from "@todo/shared";
import type { Asset } from "./assets.ts";

export interface Deps {
  dapr: DaprClient;
  log: Logger;
  assets: Map<string, Asset>;
  wsUrl: string;
  /** Set only when development sign-in is on. */
  devJwtSecret: string | undefined;
}

// What the browser may send on and what comes back; hop-by-hop headers stay behind.
const FORWARDED_REQUEST = ["authorization", "content-type", "accept"];
const FORWARDED_RESPONSE = ["content-type", "retry-after", "ratelimit-remaining", "allow", "mcp-session-id"];

export function createApp({ dapr, log, assets, wsUrl, devJwtSecret }: Deps) {
  const asset = (path: string) => {
    const found = assets.get(path);
    return found
      ? new Response(found.body, { headers: { "content-type": found.type, "cache-control": "no-cache" } })
      : undefined;
  };
  return new Elysia()
    .use(observeHttp("web"))
    .use(errorHandler(log))
    .use(healthRoutes({ sidecar: sidecarReachable(dapr) }))
    .get("/", () => asset("/index.html"))
    .get("/app.js", () => asset("/app.js"))
    .get("/styles.css", () => asset("/styles.css"))
    .get("/config.json", () => ({ wsUrl, devLogin: devJwtSecret !== undefined }))
    .post(
      "/dev/token",
      async ({ body, set }) => {
        if (!devJwtSecret) {
          set.status = 404;
          return errorBody("not_found", "Not found");
        }
        const user = body.user.trim().toLowerCase();
        return {
          token: await signToken(
            devJwtSecret,
            { sub: user, email: `${user}@localhost`, name: body.user.trim() },
            { expiresIn: "12h" },
          ),
        };
      },
      { body: t.Object({ user: t.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9._-]+$" }) }) },
    )
    .all("/api/*", async ({ request }) => {
      const url = new URL(request.url);
      const headers: Record<string, string> = {};
      for (const name of FORWARDED_REQUEST) {
        const value = request.headers.get(name);
        if (value) headers[name] = value;
      }
      const hasBody = request.method !== "GET" && request.method !== "HEAD";
      let upstream: Response;
      try {
        upstream = await dapr.invoke(APP_IDS.todoApi, `${url.pathname.slice(1)}${url.search}`, {
          method: request.method,
          headers,
          raw: hasBody ? await request.arrayBuffer() : undefined,
        });
      } catch (err) {
        log.warn("todo-api not reachable", { error: err });
        return new Response(JSON.stringify(errorBody("unavailable", "The task service is not reachable right now")), {
          status: 503,
          headers: { "content-type": "application/json" },
        });
      }
      const out = new Headers();
      for (const name of FORWARDED_RESPONSE) {
        const value = upstream.headers.get(name);
        if (value) out.set(name, value);
      }
      return new Response(upstream.status === 204 ? null : await upstream.arrayBuffer(), {
        status: upstream.status,
        headers: out,
      });
    });
}
