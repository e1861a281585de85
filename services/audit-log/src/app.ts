// audit-log: Keeps the append-only audit trail; consumes `task-events`.
import { Elysia } from "elysia";
import { errorHandler, healthRoutes, sidecarReachable, subscriptionRoutes, type DaprClient, type Logger } from "@todo/shared";
import type { Config } from "./config.ts";
import { subscriptions } from "./subscriptions.ts";
import { historyRoutes } from "./history/routes.ts";

export interface Deps {
  config: Config;
  dapr: DaprClient;
  log: Logger;
}

export function createApp({ config, dapr, log }: Deps) {
  return new Elysia()
    .use(errorHandler(log))
    .use(healthRoutes({ sidecar: sidecarReachable(dapr) }))
    .use(subscriptionRoutes(subscriptions({ log }), log, config.APP_API_TOKEN))
    .use(historyRoutes(config.APP_API_TOKEN));
}
