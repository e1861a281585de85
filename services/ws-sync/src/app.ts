// ws-sync: fans task updates out to WebSocket clients; consumes `task-updates`.
import { Elysia } from "elysia";
import {
  errorHandler,
  healthRoutes,
  sidecarReachable,
  subscriptionRoutes,
  type DaprClient,
  type Logger,
  type TokenVerifier,
  observeHttp,
} from "@todo/shared";
import type { Config } from "./config.ts";
import { Hub } from "./fanout/hub.ts";
import { LiveFrom } from "./fanout/history.ts";
import { fanoutMetrics } from "./fanout/metrics.ts";
import { ReplayWindow } from "./fanout/window.ts";
import { socketRoutes } from "./socket/routes.ts";
import { subscriptions } from "./subscriptions.ts";

export interface Deps {
  config: Config;
  dapr: DaprClient;
  log: Logger;
  verify: TokenVerifier;
}

export function createApp({ config, dapr, log, verify }: Deps) {
  const { app } = createWsSync({ config, dapr, log, verify });
  return app;
}

/** The app and its hub, for main.ts to close every socket on shutdown. */
export function createWsSync({ config, dapr, log, verify }: Deps) {
  const window = new ReplayWindow({
    perUser: config.REPLAY_PER_USER,
    users: config.REPLAY_USERS,
    maxAgeMs: config.REPLAY_MAX_AGE_S * 1000,
    maxBytes: config.REPLAY_MAX_BYTES,
  });
  const hub = new Hub({
    window,
    maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
    maxSocketsPerUser: config.WS_MAX_SOCKETS_PER_USER,
    log,
  });
  fanoutMetrics({ connections: () => hub.connections(), window: () => window.size() });
  // maxPayloadLength: Bun closes a socket that sends a bigger frame (1009).
  const app = new Elysia({
    websocket: {
      idleTimeout: config.WS_IDLE_TIMEOUT_S,
      sendPings: true,
      maxPayloadLength: config.WS_MAX_MESSAGE_BYTES,
    },
  })
    .use(observeHttp("ws-sync"))
    .use(errorHandler(log))
    .use(healthRoutes({ sidecar: sidecarReachable(dapr) }))
    .use(subscriptionRoutes(subscriptions({ hub, liveFrom: new LiveFrom() }), log, config.APP_API_TOKEN))
    .use(socketRoutes(hub, verify, log, { burst: config.WS_MESSAGE_BURST, perSecond: config.WS_MESSAGES_PER_SECOND }));
  return { app, hub };
}
