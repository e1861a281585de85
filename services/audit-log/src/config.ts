import { t as Type } from "elysia";
import { baseConfig, loadConfig } from "@todo/shared";

export const loadServiceConfig = (env?: Record<string, string | undefined>) =>
  loadConfig(
    {
      ...baseConfig(3003, 3503),
      DATABASE_URL: Type.String({ minLength: 1, description: "postgres://… of the audit database" }),
    },
    env,
  );
export type Config = ReturnType<typeof loadServiceConfig>;
