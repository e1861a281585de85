// HTTP metrics and the /metrics route, as one Elysia plugin each service's
// createApp uses first, so its hooks cover every route registered after it.
// Labels use the route's template (/tasks/:id), never the raw path, so the
// series stay few. /metrics needs no user token: Prometheus scrapes the app
// port in-cluster. A request that came through a proxy (the ingress sends
// web everything under /) gets a 404 instead (docs/observability.md).
import { Elysia } from "elysia";
import { collectDefaultMetrics } from "prom-client";
import { errorBody } from "../errors.ts";
import { httpTracing } from "../tracing/http.ts";
import { counter, DURATION_BUCKETS, histogram, metricsRegistry } from "./registry.ts";

const requests = () =>
  counter({
    name: "http_requests_total",
    help: "HTTP requests answered, by method, route template and status code.",
    labelNames: ["method", "route", "status"],
  });

const durations = () =>
  histogram({
    name: "http_request_duration_seconds",
    help: "Time from receiving an HTTP request to having answered it, by method, route template and status code.",
    labelNames: ["method", "route", "status"],
    buckets: DURATION_BUCKETS,
  });

let defaultsOn = false;

/** Names this process's series (`service` label) and starts the process metrics, once. */
export function initMetrics(service: string): void {
  metricsRegistry.setDefaultLabels({ service });
  if (defaultsOn) return;
  defaultsOn = true;
  collectDefaultMetrics();
}

/**
 * What every service's createApp uses first: requests counted, timed and
 * traced, and /metrics.
 */
export function observeHttp(service: string) {
  return new Elysia({ name: "observe-http" }).use(httpTracing(service)).use(httpMetrics(service));
}

/** Requests counted and timed; unmatched paths share the route label "unmatched". */
export function httpMetrics(service: string) {
  initMetrics(service);
  const total = requests();
  const seconds = durations();
  const started = new WeakMap<Request, number>();
  return new Elysia({ name: "http-metrics" })
    .onRequest(({ request }) => {
      started.set(request, performance.now());
    })
    .onAfterResponse({ as: "global" }, ({ request, route, set }) => {
      if (route === "/metrics") return;
      const begun = started.get(request);
      const labels = { method: request.method, route: route || "unmatched", status: String(set.status ?? 200) };
      total.inc(labels);
      if (begun !== undefined) seconds.observe(labels, (performance.now() - begun) / 1000);
    })
    .get(
      "/metrics",
      async ({ request, set }) => {
        if (viaProxy(request)) {
          set.status = 404;
          return errorBody("not_found", "Not found");
        }
        set.headers["content-type"] = metricsRegistry.contentType;
        return metricsRegistry.metrics();
      },
      { detail: { hide: true } }, // not part of any service's public API
    );
}

/** The ingress (and any load balancer or proxy) says whom it forwards for; a scraper in the cluster does not. */
function viaProxy(request: Request): boolean {
  return request.headers.has("x-forwarded-for") || request.headers.has("forwarded");
}
