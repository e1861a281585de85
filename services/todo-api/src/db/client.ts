// The database connection and migrations. Migrations run at start under an
// advisory lock, so several replicas starting together apply them once.
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { existsSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { schema } from "./schema.ts";

export function connect(url: string, max = 10) {
  const sql = postgres(url, { max, onnotice: () => {}, connection: { application_name: "todo-api" } });
  return { sql, db: drizzle(sql, { schema }) };
}

export type Database = ReturnType<typeof connect>["db"];
export type Sql = ReturnType<typeof connect>["sql"];

const MIGRATION_LOCK = 7_262_001;

/** Beside the bundle in the image (Dockerfile), or the service's drizzle/ folder in the source tree. */
function migrationsFolder(): string {
  const bundled = join(import.meta.dir, "drizzle");
  return existsSync(bundled) ? bundled : join(import.meta.dir, "../../drizzle");
}

export async function migrateDatabase(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(drizzle(sql), { migrationsFolder: migrationsFolder() });
  } finally {
    await sql.end();
  }
}
