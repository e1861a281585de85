// The connection and its migrations (run at start, see @todo/shared/database).
import { migrateDatabase, migrationsFolder } from "@todo/shared/database";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { schema } from "./schema.ts";

export function connect(url: string, max = 5) {
  const sql = postgres(url, { max, onnotice: () => {}, connection: { application_name: "notification" } });
  return { sql, db: drizzle(sql, { schema }) };
}

export type Database = ReturnType<typeof connect>["db"];
export type Sql = ReturnType<typeof connect>["sql"];

export const migrate = (url: string) => migrateDatabase(url, migrationsFolder(import.meta.dir, 2), 7_262_002);
