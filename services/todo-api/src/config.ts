import { t as Type } from "elysia";
import { baseConfig, loadConfig } from "@todo/shared";

const optional = (description: string) => Type.Optional(Type.String({ minLength: 1, description }));

export const loadTodoApiConfig = (env?: Record<string, string | undefined>) =>
  loadConfig(
    {
      ...baseConfig(3000, 3500),
      DATABASE_URL: Type.String({ minLength: 1, description: "postgres://… of the todo database" }),
      /** Overrides the secret store's `jwt-secret` (HS256); ignored when JWT_JWKS_URL is set. */
      JWT_SECRET: optional("HS256 secret"),
      JWT_JWKS_URL: optional("JWKS URL of an identity provider"),
      JWT_ISSUER: optional("required iss claim"),
      JWT_AUDIENCE: optional("required aud claim"),
      MAX_BODY_BYTES: Type.Integer({ minimum: 1024, default: 256 * 1024 }),
      OUTBOX_RETENTION_HOURS: Type.Number({ minimum: 0, default: 24 }),
      /** Per user (per address without a valid token), per replica. */
      RATE_LIMIT_BURST: Type.Integer({ minimum: 1, default: 300 }),
      RATE_LIMIT_PER_SECOND: Type.Number({ minimum: 0.1, default: 50 }),
    },
    env,
  );
export type Config = ReturnType<typeof loadTodoApiConfig>;
