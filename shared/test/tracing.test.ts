import { afterEach, describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { observeHttp } from "../src/metrics/http.ts";
import { currentTraceparent, parseTraceparent, setRootSamplingRate, startSpan, withSpan } from "../src/tracing/span.ts";

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

  describe("sampling (TRACE_SAMPLING_RATE)", () => {
    afterEach(() => setRootSamplingRate(1));

    test("at 0 a new trace is not recorded, and neither is anything under it; a caller's recorded trace still is", () => {
      setRootSamplingRate(0);
      const root = startSpan("root", "SERVER", { root: true });
      expect(root.traceparent).toEndWith("-00");
      expect(withSpan(root, () => startSpan("child", "CLIENT")).sampled).toBe(false);
      expect(startSpan("from a caller", "SERVER", { parent: parseTraceparent(PARENT), root: true }).sampled).toBe(true);
    });

    test("at 0.1 about one new trace in ten is recorded", () => {
      setRootSamplingRate(0.1);
      const recorded = Array.from({ length: 4000 }, () => startSpan("r", "SERVER", { root: true })).filter(
        (s) => s.sampled,
      ).length;
      // 400 expected; the bounds are 10 standard deviations away, so only a broken sampler falls outside.
      expect(recorded).toBeGreaterThan(210);
      expect(recorded).toBeLessThan(590);
    });

    test("a rate outside 0..1 is refused at start, naming the setting", () => {
      for (const bad of [Number.NaN, -0.1, 1.5]) expect(() => setRootSamplingRate(bad)).toThrow(/TRACE_SAMPLING_RATE/);
    });
  });
});
