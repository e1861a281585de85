// Sends finished spans to a Zipkin-compatible collector (POST
// /api/v2/spans, JSON v2): Zipkin locally, an OpenTelemetry Collector's
// Zipkin receiver in the cloud. Batched every half second; a failed send is
// dropped, never retried or blocking: traces are a diagnosis aid, and a
// request must not wait for, or fail because of, the trace backend.

export interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId: string | undefined;
  name: string;
  kind: string;
  timestamp: number;
  duration: number;
  tags: Record<string, string>;
}

const FLUSH_MS = 500;
const MAX_BUFFERED = 5000;

let target: { service: string; url: string } | undefined;
let buffer: ZipkinSpan[] = [];
let timer: Timer | undefined;

/** Spans go to `${zipkinUrl}/api/v2/spans` under `service`; without a URL they are not recorded at all. */
export function initTracing(service: string, zipkinUrl: string | undefined): void {
  target = zipkinUrl ? { service, url: `${zipkinUrl.replace(/\/$/, "")}/api/v2/spans` } : undefined;
}

export function exportSpan(span: ZipkinSpan): void {
  if (!target) return;
  if (buffer.length >= MAX_BUFFERED) return; // the backend is away: drop rather than grow
  buffer.push(span);
  if (!timer) timer = setTimeout(() => void flushSpans(), FLUSH_MS);
}

/** Sends what is buffered now (also on shutdown). */
export async function flushSpans(): Promise<void> {
  timer = undefined;
  if (!target || buffer.length === 0) return;
  const batch = buffer;
  buffer = [];
  const localEndpoint = { serviceName: target.service };
  try {
    const res = await fetch(target.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(batch.map((s) => ({ ...s, localEndpoint }))),
      signal: AbortSignal.timeout(5000),
    });
    await res.arrayBuffer();
  } catch {
    // dropped: see above
  }
}
