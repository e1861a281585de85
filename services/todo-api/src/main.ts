import { createLogger, DaprClient, loadTokenVerifier, serve } from "@todo/shared";
import { createApp } from "./app.ts";
import { loadTodoApiConfig } from "./config.ts";
import { connect, migrateDatabase } from "./db/client.ts";
import { OutboxRelay } from "./outbox/relay.ts";

const config = loadTodoApiConfig();
const dapr = new DaprClient({ httpPort: config.DAPR_HTTP_PORT, apiToken: config.DAPR_API_TOKEN });
await dapr.waitUntilOutboundReady();
const { verify, secret: jwtSecret } = await loadTokenVerifier(config, dapr);
const secrets = [config.DAPR_API_TOKEN, config.APP_API_TOKEN, jwtSecret, new URL(config.DATABASE_URL).password].filter((s): s is string => !!s);
const log = createLogger({ service: "todo-api", level: config.LOG_LEVEL, secrets });

await migrateDatabase(config.DATABASE_URL);
const { db, sql } = connect(config.DATABASE_URL);
const relay = new OutboxRelay({ db, sql, dapr, log, retentionMs: config.OUTBOX_RETENTION_HOURS * 3600_000 });
const app = createApp({ db, sql, dapr, log, verify, onCommit: () => relay.kick(), appToken: config.APP_API_TOKEN, maxBodyBytes: config.MAX_BODY_BYTES });

relay.start(); // publishes whatever an earlier run left pending
serve(app, {
  port: config.PORT,
  hostname: config.HOST,
  log,
  maxRequestBodySize: config.MAX_BODY_BYTES,
  onShutdown: async () => {
    await relay.stop();
    await sql.end({ timeout: 5 });
  },
});
