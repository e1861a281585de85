// Listens, and on SIGTERM/SIGINT stops taking requests, closes long-lived
// connections, lets in-flight requests finish, runs the service's own
// shutdown (drain the outbox, close the database), then exits. Kubernetes
// and the launcher both rely on this.
import type { Elysia } from "elysia";
import type { Logger } from "./log.ts";

export interface ServeOptions {
  port: number;
  hostname: string;
  log: Logger;
  /** Bun answers 413 to larger bodies before they reach the app. */
  maxRequestBodySize?: number;
  /**
   * Closes connections that would otherwise keep the server from stopping
   * (open WebSockets): runs once the server has stopped listening, while it
   * waits for what is still open.
   */
  closeConnections?: () => void;
  onShutdown?: () => Promise<void>;
}

/** Closed connections get this long to send their close frames (ws-sync cuts a silent peer off after as long). */
const CLOSED_CONNECTIONS_GRACE_MS = 1000;

// Elysia's generic parameters differ per app; serving needs none of them.
// biome-ignore lint/suspicious/noExplicitAny: Elysia's generic parameters differ per app and serving reads none of them.
export function serve(app: Elysia<any, any, any, any, any, any, any>, options: ServeOptions): void {
  app.listen({ port: options.port, hostname: options.hostname, maxRequestBodySize: options.maxRequestBodySize });
  options.log.info("listening", { port: options.port });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    options.log.info("shutting down", { signal });
    try {
      // Not awaited before closing: stop() resolves only once every connection is gone.
      const stopped = app.stop();
      if (options.closeConnections) {
        options.closeConnections();
        // Bun 1.3's stop() may never resolve once a WebSocket was closed from the
        // server side (oven-sh/bun issue 36223): wait a bounded time, then go on.
        const drained = await Promise.race([
          stopped.then(() => true),
          Bun.sleep(CLOSED_CONNECTIONS_GRACE_MS).then(() => false),
        ]);
        if (!drained) options.log.info("connections closed; not waiting longer for the server to confirm it");
      } else {
        await stopped;
      }
      await options.onShutdown?.();
    } catch (err) {
      options.log.error("shutdown failed", { error: err });
    }
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
