// Spans and the W3C trace context, by hand rather than through the
// OpenTelemetry SDK: we need manual spans only (a request, a consumed
// message, a relay publish, a call to the sidecar), one exporter (Zipkin's
// JSON, which Dapr speaks too) and the `traceparent` header; that is this
// file and exporter.ts, against seven OpenTelemetry packages whose context
// manager and exporters were never tried on Bun here (docs/observability.md).
// The current span follows the async flow through AsyncLocalStorage.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { exportSpan } from "./exporter.ts";

export type SpanKind = "SERVER" | "CLIENT" | "PRODUCER" | "CONSUMER";

export interface SpanContext {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

const storage = new AsyncLocalStorage<Span>();

/** The share of new traces (root spans) that are recorded; what follows a parent keeps the parent's decision. */
let rootSamplingRate = 1;

/**
 * Sets the share of the traces this process starts that are recorded (0 to
 * 1). Every span of an unrecorded trace still carries its `traceparent`,
 * flagged not sampled, so the sidecars and the consumers downstream skip it
 * too and a trace is either whole or absent.
 */
export function setRootSamplingRate(rate: number): void {
  if (!(rate >= 0 && rate <= 1)) throw new Error(`TRACE_SAMPLING_RATE must be a number from 0 to 1, not ${rate}`);
  rootSamplingRate = rate;
}

export class Span implements SpanContext {
  readonly traceId: string;
  readonly spanId = randomBytes(8).toString("hex");
  readonly parentId: string | undefined;
  readonly sampled: boolean;
  private readonly startedUs = nowUs();
  private ended = false;

  constructor(
    /** Settable: a request's span is named once its route is known. */
    public name: string,
    readonly kind: SpanKind,
    parent: SpanContext | undefined,
    readonly tags: Record<string, string> = {},
  ) {
    this.traceId = parent?.traceId ?? randomBytes(16).toString("hex");
    this.parentId = parent?.spanId;
    this.sampled = parent ? parent.sampled : Math.random() < rootSamplingRate;
  }

  /** The `traceparent` header naming this span as the parent of what follows. */
  get traceparent(): string {
    return `00-${this.traceId}-${this.spanId}-${this.sampled ? "01" : "00"}`;
  }

  tag(key: string, value: string | number | boolean): this {
    this.tags[key] = String(value);
    return this;
  }

  end(tags: Record<string, string | number | boolean> = {}): void {
    if (this.ended) return;
    this.ended = true;
    for (const [k, v] of Object.entries(tags)) this.tag(k, v);
    if (this.sampled)
      exportSpan({
        traceId: this.traceId,
        id: this.spanId,
        parentId: this.parentId,
        name: this.name,
        kind: this.kind,
        timestamp: this.startedUs,
        duration: Math.max(1, nowUs() - this.startedUs),
        tags: this.tags,
      });
  }
}

const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

/**
 * A new span, child of `parent` (a context from a header or a stored row),
 * else (unless `root`) of the current span, else the root of a new trace.
 * A request's span is `root`: whatever an earlier flow left current is no
 * parent of it.
 */
export function startSpan(
  name: string,
  kind: SpanKind,
  options: { parent?: SpanContext | undefined; root?: boolean; tags?: Record<string, string> } = {},
): Span {
  const parent = options.parent ?? (options.root ? undefined : storage.getStore());
  return new Span(name, kind, parent, { ...options.tags });
}

/** Runs `fn` with `span` current. */
export function withSpan<T>(span: Span, fn: () => T): T {
  return storage.run(span, fn);
}

/** Makes `span` current for the rest of this async flow (a request's hooks and handler). */
export function enterSpan(span: Span): void {
  storage.enterWith(span);
}

export function currentSpan(): Span | undefined {
  return storage.getStore();
}

/** The current span's `traceparent`, for what outlives it (an outbox row). */
export function currentTraceparent(): string | null {
  return storage.getStore()?.traceparent ?? null;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A W3C `traceparent` value read; undefined when absent or malformed (a new trace starts then). */
export function parseTraceparent(value: string | null | undefined): SpanContext | undefined {
  const m = value?.trim().toLowerCase().match(TRACEPARENT);
  if (!m || /^0+$/.test(m[1]!) || /^0+$/.test(m[2]!)) return undefined;
  return { traceId: m[1]!, spanId: m[2]!, sampled: (Number.parseInt(m[3]!, 16) & 1) === 1 };
}
