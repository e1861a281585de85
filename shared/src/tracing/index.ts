export * from "./span.ts";
export { flushSpans, initTracing } from "./exporter.ts";
export * from "./http.ts";
