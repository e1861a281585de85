// The connection and its migrations. Migrations run as the connecting (owner)
// role; every pooled connection then acts as `audit_writer`, which has no
// UPDATE or DELETE grant on the audit table (drizzle/0001_append_only_role.sql).
import { migrateDatabase, migrationsFolder, reconnectDelay } from "@todo/shared/database";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { schema } from "./schema.ts";

export const WRITER_ROLE = "audit_writer";

export function connect(url: string, max = 5) {
  // `role` as a startup parameter is `SET ROLE` done by the server before the
  // first query, on every connection the pool opens or reopens.
  const sql = postgres(url, { max, onnotice: () => {}, backoff: reconnectDelay, connection: { application_name: "audit-log", role: WRITER_ROLE } });
  return { sql, db: drizzle(sql, { schema }) };
}

export type Database = ReturnType<typeof connect>["db"];
export type Sql = ReturnType<typeof connect>["sql"];

export const migrate = (url: string) => migrateDatabase(url, migrationsFolder(import.meta.dir, 2), 7_262_004);
