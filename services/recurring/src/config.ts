import { Type } from "@sinclair/typebox";
import { baseConfig, loadConfig } from "@todo/shared";

export const loadServiceConfig = (env?: Record<string, string | undefined>) =>
  loadConfig(
    {
      ...baseConfig(3002, 3502),
      DATABASE_URL: Type.String({ minLength: 1, description: "postgres://… of the recurring database" }),
    },
    env,
  );
export type Config = ReturnType<typeof loadServiceConfig>;
