// The connection and its migrations. Migrations run as the connecting (owner)
// role; every pooled connection then acts as `audit_writer`, which has no
// UPDATE or DELETE grant on the audit table (drizzle/0001_append_only_role.sql).
import { connectDatabase, migrateDatabase, migrationsFolder } from "@todo/shared/database";
import { schema } from "./schema.ts";

export const WRITER_ROLE = "audit_writer";

export const connect = (url: string, max = 5) => connectDatabase(url, schema, "audit-log", max, WRITER_ROLE);

export type Database = ReturnType<typeof connect>["db"];
export type Sql = ReturnType<typeof connect>["sql"];

export const migrate = (url: string) => migrateDatabase(url, migrationsFolder(import.meta.dir, 2), 7_262_004);
