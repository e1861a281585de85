import { collectSecrets, createLogger, DaprClient, loadTokenVerifier, SECRET_STORE, serve } from "@todo/shared";
import { createApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import { connect, migrateDatabase } from "./db/client.ts";
import { targetOf } from "./outbox/batches.ts";
import { outboxBacklogMetrics } from "./outbox/metrics.ts";
import { OutboxRelay } from "./outbox/relay.ts";
import { ReminderSweeper } from "./reminders/sweeper.ts";

const config = loadConfig();
const dapr = new DaprClient({ httpPort: config.DAPR_HTTP_PORT, apiToken: config.DAPR_API_TOKEN });
await dapr.waitUntilOutboundReady();
const { verify, secret: jwtSecret } = await loadTokenVerifier(config, dapr);
// The model key only matters with a model; a store without the secret means no key (a local model needs none).
const llmApiKey = config.LLM_BASE_URL
  ? (config.LLM_API_KEY ??
    ((await dapr.getSecret(SECRET_STORE, "llm-api-key").catch(() => ({}))) as Record<string, string>)["llm-api-key"])
  : undefined;
const secrets = collectSecrets(config, jwtSecret, llmApiKey);
const log = createLogger({ service: "todo-api", level: config.LOG_LEVEL, secrets });

await migrateDatabase(config.DATABASE_URL);
const { db, sql } = connect(config.DATABASE_URL);
const relay = new OutboxRelay({
  db,
  dapr,
  log,
  retentionMs: config.OUTBOX_RETENTION_HOURS * 3600_000,
  backoff: { baseMs: 250, capMs: config.OUTBOX_RETRY_CAP_MS },
  stateLogMs: config.OUTBOX_STATE_LOG_MS,
});
outboxBacklogMetrics(() => relay.state());
const sweeper = new ReminderSweeper({
  db,
  log,
  onCommit: () => relay.kick(),
  everyMs: config.REMINDER_SWEEP_MS,
  graceMs: config.REMINDER_SWEEP_GRACE_MS,
});
const model = config.LLM_BASE_URL
  ? {
      baseUrl: config.LLM_BASE_URL,
      apiKey: llmApiKey || undefined,
      model: config.LLM_MODEL,
      maxSteps: config.LLM_MAX_STEPS,
      timeoutMs: config.LLM_TIMEOUT_MS,
    }
  : undefined;
const app = createApp({
  db,
  sql,
  dapr,
  log,
  verify,
  onCommit: config.OUTBOX_RELAY === "on" ? (rows) => relay.kick(rows?.map(targetOf)) : () => {},
  relayState: () => relay.state(),
  appToken: config.APP_API_TOKEN,
  maxBodyBytes: config.MAX_BODY_BYTES,
  chatHistoryMaxBytes: config.CHAT_HISTORY_MAX_BYTES,
  rateLimit: { burst: config.RATE_LIMIT_BURST, perSecond: config.RATE_LIMIT_PER_SECOND },
  model,
});

if (config.OUTBOX_RELAY === "on") {
  relay.start(); // publishes whatever an earlier run left pending
  sweeper.start();
} else log.warn("outbox relay is OFF: events are stored but not published (benchmark setting)");
serve(app, {
  port: config.PORT,
  hostname: config.HOST,
  log,
  maxRequestBodySize: config.MAX_BODY_BYTES,
  onShutdown: async () => {
    await sweeper.stop();
    await relay.stop();
    await sql.end({ timeout: 5 });
  },
});
