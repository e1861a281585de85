import { configLoader, databaseUrl } from "@todo/shared";

export const loadConfig = configLoader({ port: 3003, daprPort: 3503 }, { DATABASE_URL: databaseUrl("audit") });
export type Config = ReturnType<typeof loadConfig>;
