export * from "./registry.ts";
export * from "./http.ts";
export * from "./consumer.ts";
