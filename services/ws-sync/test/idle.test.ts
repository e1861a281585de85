// Idle sockets are pinged and a peer that never answers is dropped, while a
// live client (whose WebSocket answers pings by itself) stays. Runs the real
// app on a local port; nothing else is needed (the sidecar is never called).
import { afterAll, expect, test } from "bun:test";
import { createLogger, DaprClient, signToken, createTokenVerifier } from "@todo/shared";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { stalledSocket } from "./raw-socket.ts";

const secret = "idle-test-secret-0123456789abcdef";
const lines: Record<string, unknown>[] = [];
const log = createLogger({ service: "ws-sync", write: (l) => lines.push(JSON.parse(l)) });
const config = loadConfig({ JWT_SECRET: secret, WS_IDLE_TIMEOUT_S: "8" });
const app = createApp({
  config,
  log,
  dapr: new DaprClient({ httpPort: 1 }),
  verify: createTokenVerifier({ secret }),
}).listen({ port: 0, hostname: "127.0.0.1" });
afterAll(() => app.stop(true));

test("a peer that answers no pings is dropped after the idle timeout; a live one stays", async () => {
  const port = app.server!.port!;
  const stalled = await stalledSocket(port, await signToken(secret, { sub: "idle-dead" }));
  const live = new WebSocket(`ws://127.0.0.1:${port}/ws`, ["bearer", await signToken(secret, { sub: "idle-live" })]);
  let liveClosed = false;
  live.onclose = () => (liveClosed = true);

  const closedFor = (user: string) => lines.some((l) => l.msg === "socket closed" && l.user_id === user);
  const deadline = Date.now() + 25_000;
  while (!closedFor("idle-dead") && Date.now() < deadline) await Bun.sleep(200);
  expect(closedFor("idle-dead")).toBe(true);
  expect(closedFor("idle-live")).toBe(false);
  expect(liveClosed).toBe(false);
  live.close();
  stalled.destroy();
}, 30_000);
