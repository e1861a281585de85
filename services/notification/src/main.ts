import { collectSecrets, createLogger, DaprClient, SECRET_STORE, serve } from "@todo/shared";
import { rememberedContacts, todoApiContacts } from "./adapters/contacts.ts";
import { smtpMailer } from "./adapters/mailer.ts";
import { createApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import { connect, migrate } from "./db/client.ts";
import { EmailDispatcher } from "./email/dispatcher.ts";

const config = loadConfig();
new Intl.DateTimeFormat("en", { timeZone: config.EMAIL_TIME_ZONE }); // an unknown zone fails here, at start
const dapr = new DaprClient({ httpPort: config.DAPR_HTTP_PORT, apiToken: config.DAPR_API_TOKEN });
await dapr.waitUntilOutboundReady();
// Empty in the local secrets file: a local mail server needs no login.
const smtpPassword =
  config.SMTP_PASSWORD ?? ((await dapr.getSecret(SECRET_STORE, "smtp-password"))["smtp-password"] || undefined);
const secrets = collectSecrets(config, smtpPassword);
const log = createLogger({ service: "notification", level: config.LOG_LEVEL, secrets });

await migrate(config.DATABASE_URL);
const { db, sql } = connect(config.DATABASE_URL);
const mailer = smtpMailer({
  host: config.SMTP_HOST,
  port: config.SMTP_PORT,
  secure: config.SMTP_SECURE,
  user: config.SMTP_USER,
  password: smtpPassword,
  from: config.SMTP_FROM,
  timeoutMs: config.SMTP_TIMEOUT_MS,
});
const dispatcher = new EmailDispatcher({
  db,
  mailer,
  contacts: rememberedContacts(todoApiContacts(dapr), config.CONTACT_CACHE_MS),
  log,
  policy: {
    maxAttempts: config.EMAIL_MAX_ATTEMPTS,
    baseMs: config.EMAIL_RETRY_BASE_MS,
    maxMs: config.EMAIL_RETRY_MAX_MS,
  },
  pollMs: config.EMAIL_POLL_MS,
  leaseMs: Math.max(60_000, 4 * config.SMTP_TIMEOUT_MS),
  timeZone: config.EMAIL_TIME_ZONE,
});
const app = createApp({ config, dapr, db, sql, log, onRecorded: () => dispatcher.kick() });

dispatcher.start(); // also picks up what an earlier run left pending
serve(app, {
  port: config.PORT,
  hostname: config.HOST,
  log,
  onShutdown: async () => {
    await dispatcher.stop();
    await sql.end({ timeout: 5 });
  },
});
