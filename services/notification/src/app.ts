// notification: Sends reminder emails and keeps the in-app feed; consumes `reminders`.
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
import type { Database, Sql } from "./db/client.ts";
import { feedRoutes } from "./feed/routes.ts";
import { FeedService } from "./feed/service.ts";
import { subscriptions } from "./subscriptions.ts";

export interface Deps {
  config: Config;
  dapr: DaprClient;
  db: Database;
  sql: Sql;
  log: Logger;
  /** Wakes the email dispatcher after a new notification is recorded. */
  onRecorded: () => void;
}

export function createApp({ config, dapr, db, sql, log, onRecorded }: Deps) {
  return new Elysia()
    .use(observeHttp("notification"))
    .use(errorHandler(log))
    .use(healthRoutes({ database: () => sql`select 1`, sidecar: sidecarReachable(dapr) }))
    .use(subscriptionRoutes(subscriptions({ db, log, onRecorded }), log, config.APP_API_TOKEN))
    .use(feedRoutes(new FeedService(db), config.APP_API_TOKEN));
}
