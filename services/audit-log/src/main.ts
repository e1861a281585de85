import { createLogger, DaprClient, serve } from "@todo/shared";
import { createApp } from "./app.ts";
import { loadServiceConfig } from "./config.ts";
import { connect, migrate } from "./db/client.ts";
import { postgresTrail } from "./trail/store.ts";

const config = loadServiceConfig();
const secrets = [config.DAPR_API_TOKEN, config.APP_API_TOKEN, new URL(config.DATABASE_URL).password].filter(
  (s): s is string => !!s,
);
const log = createLogger({ service: "audit-log", level: config.LOG_LEVEL, secrets });
const dapr = new DaprClient({ httpPort: config.DAPR_HTTP_PORT, apiToken: config.DAPR_API_TOKEN });

await migrate(config.DATABASE_URL);
const { db, sql } = connect(config.DATABASE_URL);
const app = createApp({ config, dapr, log, trail: postgresTrail(db), ping: () => sql`select 1` });
serve(app, { port: config.PORT, hostname: config.HOST, log, onShutdown: () => sql.end({ timeout: 5 }) });
