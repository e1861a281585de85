// The connection and its migrations (run at start, see @todo/shared/database).
import { connectDatabase, migrateDatabase, migrationsFolder } from "@todo/shared/database";
import { schema } from "./schema.ts";

export const connect = (url: string) => connectDatabase(url, schema, "recurring");
export type Database = ReturnType<typeof connect>["db"];
export type Sql = ReturnType<typeof connect>["sql"];

export const migrate = (url: string) => migrateDatabase(url, migrationsFolder(import.meta.dir, 2), 7_262_003);
