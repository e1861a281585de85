import { collectSecrets, createLogger, DaprClient, serve } from "@todo/shared";
import { todoApiTasks } from "./adapters/todo-api.ts";
import { processedEventsTable } from "./adapters/processed-events.ts";
import { createApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import { connect, migrate } from "./db/client.ts";
import { CONSUMER } from "./subscriptions.ts";

const config = loadConfig();
const log = createLogger({ service: "recurring", level: config.LOG_LEVEL, secrets: collectSecrets(config) });
const dapr = new DaprClient({ httpPort: config.DAPR_HTTP_PORT, apiToken: config.DAPR_API_TOKEN, timeoutMs: 10_000 });

await migrate(config.DATABASE_URL);
const { db, sql } = connect(config.DATABASE_URL);
const app = createApp({
  config,
  dapr,
  sql,
  tasks: todoApiTasks(dapr),
  processed: processedEventsTable(db, CONSUMER),
  log,
});
serve(app, { port: config.PORT, hostname: config.HOST, log, onShutdown: () => sql.end({ timeout: 5 }) });
