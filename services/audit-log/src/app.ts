// audit-log: keeps the append-only audit trail of `task-events` and answers
// history queries from todo-api.
import { Elysia } from "elysia";
import {
  errorHandler,
  healthRoutes,
  sidecarReachable,
  subscriptionRoutes,
  type DaprClient,
  type Logger,
  observeHttp,
} from "@todo/shared";
import type { Config } from "./config.ts";
import { historyRoutes } from "./history/routes.ts";
import { subscriptions } from "./subscriptions.ts";
import type { AuditTrail } from "./trail/store.ts";

export interface Deps {
  config: Config;
  dapr: DaprClient;
  log: Logger;
  trail: AuditTrail;
  /** Readiness: the database answers. */
  ping: () => Promise<unknown>;
}

export function createApp({ config, dapr, log, trail, ping }: Deps) {
  return new Elysia()
    .use(observeHttp("audit-log"))
    .use(errorHandler(log))
    .use(healthRoutes({ database: ping, sidecar: sidecarReachable(dapr) }))
    .use(subscriptionRoutes(subscriptions({ trail }), log, config.APP_API_TOKEN))
    .use(historyRoutes(trail, config.APP_API_TOKEN));
}
