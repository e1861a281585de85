// One SERVER span per HTTP request, child of the caller's `traceparent`
// (Dapr's sidecar sends one with every delivery and invocation) or the root
// of a new trace, current for the hooks and the handler, so log lines, outbox
// rows and calls to the sidecar join it. Probes and scrapes are not traced.
import { Elysia } from "elysia";
import { initTracing } from "./exporter.ts";
import { enterSpan, parseTraceparent, setRootSamplingRate, startSpan, type Span } from "./span.ts";

const UNTRACED = new Set(["/metrics", "/healthz", "/readyz"]);

/**
 * `ZIPKIN_URL` (the launcher sets it; a collector's Zipkin receiver in the
 * cloud) says where spans go; `TRACE_SAMPLING_RATE` (0 to 1, default 1) which
 * share of the traces this service starts are recorded.
 */
export function httpTracing(
  service: string,
  zipkinUrl = process.env.ZIPKIN_URL,
  samplingRate = process.env.TRACE_SAMPLING_RATE || "1",
) {
  setRootSamplingRate(Number(samplingRate));
  initTracing(service, zipkinUrl);
  const spans = new WeakMap<Request, Span>();
  return new Elysia({ name: "http-tracing" })
    .onRequest(({ request }) => {
      const path = new URL(request.url).pathname;
      if (UNTRACED.has(path)) return;
      const span = startSpan(request.method, "SERVER", {
        parent: parseTraceparent(request.headers.get("traceparent")),
        root: true,
        tags: { "http.method": request.method, "http.path": path },
      });
      spans.set(request, span);
      enterSpan(span);
    })
    .onAfterResponse({ as: "global" }, ({ request, route, set }) => {
      const span = spans.get(request);
      if (!span) return;
      span.name = `${request.method} ${route || "unmatched"}`;
      const status = Number(set.status ?? 200);
      span.end({
        "http.route": route || "unmatched",
        "http.status_code": status,
        ...(status >= 500 ? { error: String(status) } : {}),
      });
    });
}
