// Reads traces back from the stack's Zipkin through its query API, and
// answers questions about one: whose spans it holds, and who is whose parent.

export interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind?: string;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

export async function fetchTrace(zipkinUrl: string, traceId: string): Promise<ZipkinSpan[]> {
  const res = await fetch(`${zipkinUrl}/api/v2/trace/${traceId}`, { signal: AbortSignal.timeout(10_000) });
  if (res.status === 404) return [];
  if (!res.ok) throw new Error(`Zipkin answered ${res.status} for trace ${traceId}`);
  return (await res.json()) as ZipkinSpan[];
}

/** Dapr's sidecars mark their spans with this instrumentation scope; ours have none. */
export const isSidecarSpan = (s: ZipkinSpan) => s.tags?.["otel.scope.name"] === "dapr-diagnostics";

/** `todo-api` for the service's own spans, `todo-api (sidecar)` for its daprd's. */
export const owner = (s: ZipkinSpan) => `${s.localEndpoint?.serviceName ?? "?"}${isSidecarSpan(s) ? " (sidecar)" : ""}`;

export class Trace {
  private readonly byId: Map<string, ZipkinSpan>;

  constructor(readonly spans: ZipkinSpan[]) {
    this.byId = new Map(spans.map((s) => [s.id, s]));
  }

  owners(): string[] {
    return [...new Set(this.spans.map(owner))].sort();
  }

  /** Zipkin stores span names in lower case. */
  find(service: string, name: string): ZipkinSpan | undefined {
    return this.findAll(service, name)[0];
  }

  /** Every span of that name: a consumer may handle more than one event of a trace. */
  findAll(service: string, name: string): ZipkinSpan[] {
    return this.spans.filter((s) => owner(s) === service && s.name === name.toLowerCase());
  }

  /** Spans whose parent is neither in the trace nor `rootParent` (the caller's own span): broken links. */
  orphans(rootParent: string): ZipkinSpan[] {
    return this.spans.filter((s) => s.parentId && s.parentId !== rootParent && !this.byId.has(s.parentId));
  }

  /** True when `ancestor` is on `span`'s chain of parents. */
  descends(span: ZipkinSpan | undefined, ancestor: ZipkinSpan | undefined): boolean {
    if (!span || !ancestor) return false;
    for (let s = this.byId.get(span.parentId ?? ""); s; s = this.byId.get(s.parentId ?? ""))
      if (s.id === ancestor.id) return true;
    return false;
  }
}
