// recurring: Creates the next occurrence of a completed recurring task; consumes `task-events`.
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
import type { Sql } from "./db/client.ts";
import type { ProcessedEvents, TaskApi } from "./occurrences/service.ts";
import { subscriptions } from "./subscriptions.ts";

export interface Deps {
  config: Config;
  dapr: DaprClient;
  sql: Sql;
  tasks: TaskApi;
  processed: ProcessedEvents;
  log: Logger;
}

export function createApp({ config, dapr, sql, tasks, processed, log }: Deps) {
  return new Elysia()
    .use(observeHttp("recurring"))
    .use(errorHandler(log))
    .use(healthRoutes({ database: () => sql`select 1`, sidecar: sidecarReachable(dapr) }))
    .use(subscriptionRoutes(subscriptions({ tasks, processed, log }), log, config.APP_API_TOKEN));
}
