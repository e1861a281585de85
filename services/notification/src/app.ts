// notification: Sends reminder emails and keeps the in-app feed; consumes `reminders`.
import { Elysia } from "elysia";
import { errorHandler, healthRoutes, sidecarReachable, subscriptionRoutes, type DaprClient, type Logger } from "@todo/shared";
import type { Config } from "./config.ts";
import { subscriptions } from "./subscriptions.ts";
import { feedRoutes } from "./feed/routes.ts";

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
    .use(feedRoutes(config.APP_API_TOKEN));
}
