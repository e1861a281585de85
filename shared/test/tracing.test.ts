import { describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { observeHttp } from "../src/metrics/http.ts";
import { currentTraceparent, parseTraceparent, startSpan, withSpan } from "../src/tracing/span.ts";

const PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe("tracing", () => {
  test("traceparent: read when well-formed, refused when not", () => {
    expect(parseTraceparent(PARENT)).toEqual({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      sampled: true,
    });
    for (const bad of [undefined, "", "garbage", `00-${"0".repeat(32)}-00f067aa0ba902b7-01`, "01-xyz"])
      expect(parseTraceparent(bad)).toBeUndefined();
  });

  test("a request's handler runs in a span that continues the caller's trace", async () => {
    const app = new Elysia().use(observeHttp("test-svc")).get("/things/:id", async () => {
      await Bun.sleep(1); // across an await, as a database call would be
      return { traceparent: currentTraceparent() };
    });
    const res = await app.handle(new Request("http://localhost/things/1", { headers: { traceparent: PARENT } }));
    const { traceparent } = (await res.json()) as { traceparent: string };
    const ctx = parseTraceparent(traceparent)!;
    expect(ctx.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(ctx.spanId).not.toBe("00f067aa0ba902b7");
  });

  test("without a traceparent a request starts a new trace; spans nest under the current one", async () => {
    const app = new Elysia().use(observeHttp("test-svc")).get("/x", () => ({ traceparent: currentTraceparent() }));
    const a = parseTraceparent(
      ((await (await app.handle(new Request("http://localhost/x"))).json()) as any).traceparent,
    );
    const b = parseTraceparent(
      ((await (await app.handle(new Request("http://localhost/x"))).json()) as any).traceparent,
    );
    expect(a?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(a?.traceId).not.toBe(b?.traceId);
    const outer = startSpan("outer", "SERVER");
    const inner = withSpan(outer, () => startSpan("inner", "CLIENT"));
    expect({ trace: inner.traceId, parent: inner.parentId }).toEqual({ trace: outer.traceId, parent: outer.spanId });
  });
});
