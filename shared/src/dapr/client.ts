// A small typed client for the sidecar's HTTP API (see docs/dapr.md). The JS
// SDK's server side needs Express and its client lacks the Jobs API, so plain
// fetch it is. Every call has a deadline; failures throw DaprError. Each call
// is a CLIENT span of the current trace, and carries it to the sidecar
// (`traceparent`), so the sidecar's spans join the same trace.
import { startSpan } from "../tracing/span.ts";

export class DaprError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`dapr ${operation} failed: ${status === 0 ? body : `HTTP ${status} ${body.slice(0, 300)}`}`);
    this.name = "DaprError";
  }
}

export interface DaprClientOptions {
  httpPort: number;
  host?: string;
  /** Sent as `dapr-api-token` when the sidecar requires one. */
  apiToken?: string | undefined;
  timeoutMs?: number;
}

export interface PublishOptions {
  /** Becomes the Kafka message key: one user's events stay in one partition, in order. */
  partitionKey: string;
  /** The CloudEvent id, fixed by the producer once and reused on every retry. */
  eventId: string;
  eventType?: string;
}

export interface BulkEntry {
  entryId: string;
  event: unknown;
  contentType?: string;
  metadata?: Record<string, string>;
}

export interface StateItem<T = unknown> {
  key: string;
  value: T;
  etag?: string;
  options?: { concurrency?: "first-write" | "last-write"; consistency?: "eventual" | "strong" };
  metadata?: Record<string, string>;
}

export interface Job {
  /** RFC 3339 timestamp or a Go duration ("30s") for one-shot jobs. */
  dueTime?: string;
  /** "@every 1h" or a 6-field cron; never a timestamp. */
  schedule?: string;
  repeats?: number;
  ttl?: string;
  data?: unknown;
  overwrite?: boolean;
  failurePolicy?: { constant: { interval: string; maxRetries?: number } } | { drop: Record<string, never> };
}

export interface InvokeOptions {
  method?: string;
  body?: unknown;
  /** A body passed through as is (proxies); takes precedence over `body`. */
  raw?: ArrayBuffer | string;
  headers?: Record<string, string>;
  query?: Record<string, string | undefined>;
}

export interface SidecarMetadata {
  id: string;
  runtimeVersion: string;
  components?: { name: string; type: string; version: string }[];
  subscriptions?: {
    pubsubname: string;
    topic: string;
    deadLetterTopic?: string;
    rules?: { path: string }[];
    type?: string;
  }[];
  [key: string]: unknown;
}

export class DaprClient {
  readonly baseUrl: string;
  private readonly apiToken: string | undefined;
  private readonly timeoutMs: number;

  constructor(options: DaprClientOptions) {
    this.baseUrl = `http://${options.host ?? "127.0.0.1"}:${options.httpPort}`;
    this.apiToken = options.apiToken;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  /** Publishes one event; resolves only on the sidecar's 204. */
  async publish(pubsub: string, topic: string, data: unknown, options: PublishOptions): Promise<void> {
    const query = new URLSearchParams({
      "metadata.partitionKey": options.partitionKey,
      "metadata.cloudevent.id": options.eventId,
    });
    if (options.eventType) query.set("metadata.cloudevent.type", options.eventType);
    await this.expect(204, "publish", `/v1.0/publish/${pubsub}/${topic}?${query}`, { method: "POST", json: data });
  }

  /** Publishes many events in one call; returns the entries that failed, with the sidecar's reason. */
  async publishBulk(
    pubsub: string,
    topic: string,
    entries: BulkEntry[],
    metadata: Record<string, string> = {},
  ): Promise<{ entryId: string; error: string }[]> {
    const query = new URLSearchParams(Object.entries(metadata).map(([k, v]): [string, string] => [`metadata.${k}`, v]));
    const body = entries.map((e) => ({ contentType: "application/json", ...e }));
    const res = await this.request(`/v1.0-alpha1/publish/bulk/${pubsub}/${topic}?${query}`, {
      method: "POST",
      json: body,
    });
    if (res.status === 204 || res.status === 200) return [];
    const text = await res.text();
    try {
      const failed = (JSON.parse(text) as { failedEntries?: { entryId: string; error?: string }[] }).failedEntries;
      if (failed) return failed.map((f) => ({ entryId: f.entryId, error: f.error ?? `bulk publish: ${res.status}` }));
    } catch {
      // not the documented failure shape: fall through
    }
    throw new DaprError("bulk publish", res.status, text);
  }

  async getState<T>(store: string, key: string): Promise<{ value: T; etag: string | null } | null> {
    const res = await this.request(`/v1.0/state/${store}/${encodeURIComponent(key)}`, { method: "GET" });
    if (res.status === 204) return null;
    if (res.status !== 200) throw new DaprError("get state", res.status, await res.text());
    return { value: (await res.json()) as T, etag: res.headers.get("etag") };
  }

  async saveState(store: string, items: StateItem[]): Promise<void> {
    await this.expect(204, "save state", `/v1.0/state/${store}`, { method: "POST", json: items });
  }

  /** Creates or replaces a job. The name goes only in the URL. */
  async scheduleJob(name: string, job: Job): Promise<void> {
    await this.expect(204, "schedule job", `/v1.0-alpha1/jobs/${encodeURIComponent(name)}`, {
      method: "POST",
      json: job,
    });
  }

  async getJob(name: string): Promise<(Job & { name: string }) | null> {
    const res = await this.request(`/v1.0-alpha1/jobs/${encodeURIComponent(name)}`, { method: "GET" });
    if (res.status === 404 || res.status === 204) return null;
    const text = await res.text();
    // The sidecar reports a missing job as a 500 with ERR_JOBS_NOT_FOUND / "not found".
    if (res.status !== 200) {
      if (/not.?found/i.test(text)) return null;
      throw new DaprError("get job", res.status, text);
    }
    return JSON.parse(text);
  }

  /** Deletes a job; deleting one that does not exist is not an error. */
  async deleteJob(name: string): Promise<void> {
    const res = await this.request(`/v1.0-alpha1/jobs/${encodeURIComponent(name)}`, { method: "DELETE" });
    if (res.status === 204 || res.status === 200 || res.status === 404) return;
    const text = await res.text();
    if (/not.?found/i.test(text)) return;
    throw new DaprError("delete job", res.status, text);
  }

  async getSecret(store: string, name: string): Promise<Record<string, string>> {
    const res = await this.request(`/v1.0/secrets/${store}/${encodeURIComponent(name)}`, { method: "GET" });
    if (res.status !== 200) throw new DaprError("get secret", res.status, await res.text());
    return (await res.json()) as Record<string, string>;
  }

  /** Calls another app through the sidecars; returns the raw response for the caller to judge. */
  async invoke(appId: string, path: string, options: InvokeOptions = {}): Promise<Response> {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) query.set(k, v);
    const qs = query.size ? `?${query}` : "";
    const target = `/v1.0/invoke/${appId}/method/${path.replace(/^\//, "")}${qs}`;
    return this.request(target, {
      method: options.method ?? "GET",
      json: options.body,
      raw: options.raw,
      headers: options.headers ?? {},
    });
  }

  /** True once the sidecar can serve the app's outbound calls (before the app listens). */
  async outboundReady(): Promise<boolean> {
    return this.probe("/v1.0/healthz/outbound");
  }

  async metadata(): Promise<SidecarMetadata> {
    const res = await this.request("/v1.0/metadata", { method: "GET" });
    if (res.status !== 200) throw new DaprError("metadata", res.status, await res.text());
    return (await res.json()) as SidecarMetadata;
  }

  /** Waits for the outbound API, polling until the deadline. */
  async waitUntilOutboundReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.outboundReady())) {
      if (Date.now() > deadline)
        throw new DaprError("wait for sidecar", 0, `not ready after ${timeoutMs} ms at ${this.baseUrl}`);
      await Bun.sleep(100);
    }
  }

  private async probe(path: string): Promise<boolean> {
    try {
      const res = await this.request(path, { method: "GET" }, 1000);
      await res.arrayBuffer();
      return res.status >= 200 && res.status < 300;
    } catch {
      return false;
    }
  }

  private async expect(status: number, operation: string, path: string, init: RequestInitJson): Promise<void> {
    const res = await this.request(path, init);
    if (res.status !== status) throw new DaprError(operation, res.status, await res.text());
    await res.arrayBuffer();
  }

  private async request(path: string, init: RequestInitJson, timeoutMs = this.timeoutMs): Promise<Response> {
    const span = startSpan(`dapr ${init.method} ${path.split("?")[0]}`, "CLIENT");
    try {
      const res = await this.send(
        path,
        { ...init, headers: { traceparent: span.traceparent, ...init.headers } },
        timeoutMs,
      );
      span.end({ "http.status_code": res.status });
      return res;
    } catch (err) {
      span.end({ error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  }

  private async send(path: string, init: RequestInitJson, timeoutMs: number): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.apiToken) headers["dapr-api-token"] = this.apiToken;
    let body: string | ArrayBuffer | undefined = init.raw;
    if (body === undefined && init.json !== undefined) {
      headers["content-type"] ??= "application/json";
      body = JSON.stringify(init.json);
    }
    try {
      return await fetch(this.baseUrl + path, {
        method: init.method,
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new DaprError(`${init.method} ${path.split("?")[0]}`, 0, err instanceof Error ? err.message : String(err));
    }
  }
}

interface RequestInitJson {
  method: string;
  json?: unknown;
  raw?: ArrayBuffer | string | undefined;
  headers?: Record<string, string>;
}
