// todo-api's connection pool and its migrations (applied at start under an
// advisory lock; see @todo/shared/database).
import { connectDatabase, migrateDatabase as migrateWith, migrationsFolder } from "@todo/shared/database";
import { schema } from "./schema.ts";

export const connect = (url: string) => connectDatabase(url, schema, "todo-api", 10);

export type Database = ReturnType<typeof connect>["db"];
export type Sql = ReturnType<typeof connect>["sql"];

const MIGRATION_LOCK = 7_262_001;

export const migrateDatabase = (url: string) => migrateWith(url, migrationsFolder(import.meta.dir, 2), MIGRATION_LOCK);
