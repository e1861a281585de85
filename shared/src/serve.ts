// Listens, and on SIGTERM/SIGINT stops taking requests, lets in-flight ones
// finish, runs the service's own shutdown (drain the outbox, close the
// database), then exits. Kubernetes and the launcher both rely on this.
import type { Elysia } from "elysia";
import type { Logger } from "./log.ts";

export interface ServeOptions {
  port: number;
  hostname: string;
  log: Logger;
  /** Bun answers 413 to larger bodies before they reach the app. */
  maxRequestBodySize?: number;
  onShutdown?: () => Promise<void>;
}

// Elysia's generic parameters differ per app; serving needs none of them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function serve(app: Elysia<any, any, any, any, any, any, any>, options: ServeOptions): void {
  app.listen({ port: options.port, hostname: options.hostname, maxRequestBodySize: options.maxRequestBodySize });
  options.log.info("listening", { port: options.port });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    options.log.info("shutting down", { signal });
    try {
      await app.stop();
      await options.onShutdown?.();
    } catch (err) {
      options.log.error("shutdown failed", { error: err });
    }
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
