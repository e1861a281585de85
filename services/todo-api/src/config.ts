import { t as Type } from "elysia";
import { baseConfig, jwtConfig, loadConfig } from "@todo/shared";

export const loadTodoApiConfig = (env?: Record<string, string | undefined>) =>
  loadConfig(
    {
      ...baseConfig(3000, 3500),
      DATABASE_URL: Type.String({ minLength: 1, description: "postgres://… of the todo database" }),
      ...jwtConfig(),
      MAX_BODY_BYTES: Type.Integer({ minimum: 1024, default: 256 * 1024 }),
      OUTBOX_RETENTION_HOURS: Type.Number({ minimum: 0, default: 24 }),
    },
    env,
  );
export type Config = ReturnType<typeof loadTodoApiConfig>;
