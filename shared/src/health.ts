// Liveness says the process serves HTTP; readiness says its dependencies
// (database, sidecar) answer, so Kubernetes and the launcher route to it.
import { Elysia, t } from "elysia";

const Readiness = t.Object({
  status: t.String(),
  checks: t.Record(t.String(), t.String()),
  detail: t.Optional(
    t.Record(t.String(), t.Unknown(), {
      description: "What the service reports about itself; never decides readiness",
    }),
  ),
});

export type ReadinessCheck = () => Promise<unknown>;

/**
 * `detail`, when given, adds state worth seeing (todo-api: the outbox backlog
 * per target) without deciding readiness: a backlog is no reason to stop
 * routing requests to a replica that can take them.
 */
export function healthRoutes(
  checks: Record<string, ReadinessCheck>,
  timeoutMs = 2000,
  detail?: () => Promise<Record<string, unknown>>,
) {
  return new Elysia({ name: "health" })
    .get("/healthz", () => ({ status: "ok" }), {
      response: { 200: t.Object({ status: t.String() }) },
      detail: { tags: ["health"], summary: "Liveness" },
    })
    .get(
      "/readyz",
      async ({ set }) => {
        const results = await Promise.all(
          Object.entries(checks).map(async ([name, check]) => {
            try {
              await withTimeout(check(), timeoutMs);
              return [name, "ok"] as const;
            } catch (err) {
              return [name, err instanceof Error ? err.message : String(err)] as const;
            }
          }),
        );
        const ready = results.every(([, r]) => r === "ok");
        set.status = ready ? 200 : 503;
        const body = { status: ready ? "ready" : "not_ready", checks: Object.fromEntries(results) };
        if (!detail) return body;
        const details = await withTimeout(detail(), timeoutMs).catch((err: unknown) => ({
          error: err instanceof Error ? err.message : String(err),
        }));
        return { ...body, detail: details };
      },
      {
        response: { 200: Readiness, 503: Readiness },
        detail: { tags: ["health"], summary: "Readiness: database and sidecar reachable" },
      },
    );
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, Bun.sleep(ms).then(() => Promise.reject(new Error(`timed out after ${ms} ms`)))]);
}

/** Readiness check: the sidecar answers the app's outbound calls. */
export function sidecarReachable(dapr: { outboundReady(): Promise<boolean> }): ReadinessCheck {
  return async () => {
    if (!(await dapr.outboundReady())) throw new Error("sidecar not reachable");
  };
}
