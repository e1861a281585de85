import { configLoader, databaseUrl } from "@todo/shared";

export const loadConfig = configLoader({ port: 3002, daprPort: 3502 }, { DATABASE_URL: databaseUrl("recurring") });
export type Config = ReturnType<typeof loadConfig>;
