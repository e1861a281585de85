import { collectSecrets, createLogger, DaprClient, serve } from "@todo/shared";
import { createApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import { connect, migrate } from "./db/client.ts";
import { AuditTrail } from "./trail/store.ts";

const config = loadConfig();
const log = createLogger({ service: "audit-log", level: config.LOG_LEVEL, secrets: collectSecrets(config) });
const dapr = new DaprClient({ httpPort: config.DAPR_HTTP_PORT, apiToken: config.DAPR_API_TOKEN });

await migrate(config.DATABASE_URL);
const { db, sql } = connect(config.DATABASE_URL);
const app = createApp({ config, dapr, log, trail: new AuditTrail(db), ping: () => sql`select 1` });
serve(app, { port: config.PORT, hostname: config.HOST, log, onShutdown: () => sql.end({ timeout: 5 }) });
