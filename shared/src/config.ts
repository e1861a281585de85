// Reads a service's configuration from the environment once, against a
// schema, and reports every bad variable at once instead of the first.
import { Type, type Static, type TObject, type TProperties } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

const Port = (fallback: number) => Type.Integer({ minimum: 1, maximum: 65535, default: fallback });

/** Variables every service reads. */
export const baseConfig = (defaultPort: number, defaultDaprPort: number) => ({
  PORT: Port(defaultPort),
  HOST: Type.String({ default: "0.0.0.0" }),
  DAPR_HTTP_PORT: Port(defaultDaprPort),
  /** What the app sends to its sidecar, when the sidecar requires it. */
  DAPR_API_TOKEN: Type.Optional(Type.String({ minLength: 1 })),
  /** What the sidecar sends to the app; Dapr-only routes answer 404 without it. */
  APP_API_TOKEN: Type.Optional(Type.String({ minLength: 1 })),
  LOG_LEVEL: Type.Union([Type.Literal("debug"), Type.Literal("info"), Type.Literal("warn"), Type.Literal("error")], {
    default: "info",
  }),
});

export function loadConfig<P extends TProperties>(
  properties: P,
  env: Record<string, string | undefined> = process.env,
): Static<TObject<P>> {
  const schema = Type.Object(properties);
  // Empty strings mean "unset", as shells and Kubernetes often produce them.
  const raw = Object.fromEntries(Object.keys(properties).flatMap((k) => (env[k] ? [[k, env[k]]] : [])));
  const value = Value.Default(schema, Value.Convert(schema, raw));
  const problems = [...Value.Errors(schema, value)].map((e) => `${e.path.slice(1) || "(root)"}: ${e.message}`);
  if (problems.length) throw new ConfigError([...new Set(problems)]);
  return value as Static<TObject<P>>;
}
