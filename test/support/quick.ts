// The quick tier: todo-api's (and audit-log's) HTTP layer driven in-process
// through `createApp(...).handle(request)` against a real Postgres, with no
// Kafka and no sidecar (infra/stack/quick.ts starts that Postgres and names
// it in QUICK_INFO). What needs a sidecar (history, notifications, chat storage,
// publishing) is covered by the integration tier instead.
import { createLogger, createTokenVerifier, DaprClient } from "@todo/shared";
import { readFileSync } from "node:fs";
import { createApp } from "../../services/todo-api/src/app.ts";
import { loadConfig } from "../../services/todo-api/src/config.ts";
import { connect, migrateDatabase } from "../../services/todo-api/src/db/client.ts";

export interface QuickInfo {
  repoRoot: string;
  /** The todo database of the tier's own Postgres. */
  databaseUrl: string;
  /** Its audit database, for audit-log's quick tests. */
  auditDatabaseUrl: string;
}

export const quickInfo = (): QuickInfo | undefined =>
  process.env.QUICK_INFO ? (JSON.parse(readFileSync(process.env.QUICK_INFO, "utf8")) as QuickInfo) : undefined;

let handler: Promise<(request: Request) => Promise<Response>> | undefined;

/** One todo-api app per test file, built as main.ts builds it, minus the relay and the sidecar. */
export function quickHandler(info: QuickInfo, jwtSecret: string): Promise<(request: Request) => Promise<Response>> {
  handler ??= (async () => {
    await migrateDatabase(info.databaseUrl);
    const config = loadConfig({ DATABASE_URL: info.databaseUrl, LOG_LEVEL: "error" });
    const { db, sql } = connect(info.databaseUrl);
    const app = createApp({
      db,
      sql,
      // Port 1: nothing listens, so a route that needs the sidecar fails fast and visibly.
      dapr: new DaprClient({ httpPort: 1 }),
      log: createLogger({ service: "todo-api", level: config.LOG_LEVEL }),
      verify: createTokenVerifier({ secret: jwtSecret }),
      onCommit: () => {},
      appToken: undefined,
      maxBodyBytes: config.MAX_BODY_BYTES,
      chatHistoryMaxBytes: config.CHAT_HISTORY_MAX_BYTES,
      rateLimit: { burst: config.RATE_LIMIT_BURST, perSecond: config.RATE_LIMIT_PER_SECOND },
    });
    return (request: Request) => app.handle(request);
  })();
  return handler;
}
