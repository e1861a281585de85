// Migrations for every service that owns a database: applied at start under
// an advisory lock, so replicas starting together apply them once. Imported
// as "@todo/shared/database" (not from the index) so services without a
// database don't load drizzle.
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { existsSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { scrapedGauge } from "./metrics/registry.ts";

/**
 * Seconds to wait before reconnecting after `retries` failed connection
 * attempts in a row. postgres.js counts failures across the whole pool and
 * grows its own wait as 3^retries / 100 up to 20 s, so a one-second database
 * restart seen by five connections left queries queued for up to 20 s (and
 * consumers' redeliveries ran out meanwhile). Capped at one second here:
 * reconnecting to a database that is back is cheap, waiting is not.
 */
export function reconnectDelay(retries: number): number {
  return Math.min(0.05 * 2 ** retries, 1) * (0.5 + Math.random() / 2);
}

/**
 * A pool for one service's database; the name shows in pg_stat_activity.
 * `role`, when given, is set by the server on every connection the pool
 * opens or reopens (a startup parameter), before the first query.
 */
export function connectDatabase<S extends Record<string, unknown>>(
  url: string,
  schema: S,
  applicationName: string,
  max = 5,
  role?: string,
) {
  const connection = { application_name: applicationName, ...(role ? { role } : {}) };
  const sql = postgres(url, { max, onnotice: () => {}, backoff: reconnectDelay, connection });
  databaseConnectionMetrics(sql);
  return { sql, db: drizzle(sql, { schema }) };
}

/**
 * `todo_postgres_connections{database}`: every connection open to this
 * service's database (all replicas, the migrations, psql), read from
 * pg_stat_activity at scrape time, for the platform dashboard. A failed read
 * leaves the gauge as it was.
 */
function databaseConnectionMetrics(sql: postgres.Sql): void {
  scrapedGauge(
    {
      name: "todo_postgres_connections",
      help: "Connections open to this service's database (all clients), from pg_stat_activity.",
      labelNames: ["database"],
    },
    async (g) => {
      const rows = await sql<{ database: string; n: number }[]>`
        select current_database() as database, count(*)::int as n
        from pg_stat_activity where datname = current_database()`.catch(() => []);
      for (const { database, n } of rows) g.set({ database }, n);
    },
  );
}

/**
 * Where a service's drizzle/ folder is: beside the bundle in the image (the
 * Dockerfile copies it there), else `<service>/drizzle` in the source tree.
 * `here` is the calling module's import.meta.dir, `depth` how deep it is below the service.
 */
export function migrationsFolder(here: string, depth: number): string {
  const bundled = join(here, "drizzle");
  return existsSync(bundled) ? bundled : join(here, ...Array<string>(depth).fill(".."), "drizzle");
}

export async function migrateDatabase(url: string, folder: string, lockKey: number): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${lockKey})`;
    await migrate(drizzle(sql), { migrationsFolder: folder });
  } finally {
    await sql.end();
  }
}
