// Migrations for every service that owns a database: applied at start under
// an advisory lock, so replicas starting together apply them once. Imported
// as "@todo/shared/database" (not from the index) so services without a
// database don't load drizzle.
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { existsSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";

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
