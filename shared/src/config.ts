// Reads a service's configuration from the environment once, against a
// schema, and reports every bad variable at once instead of the first.
// Every service's src/config.ts is `export const loadConfig = configLoader(...)`.
//
// Schemas are built with TypeBox's own `Type`, not Elysia's `t`: Elysia
// workaround 4 (docs/architecture.md, "Elysia workarounds").
import { Type, type Static, type TObject, type TProperties } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

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

/** The connection string of the service's own database. */
export const databaseUrl = (database: string) =>
  Type.String({ minLength: 1, description: `postgres://… of the ${database} database` });

/** Reads `properties` from `env`; throws a ConfigError naming every bad variable. */
export function readConfig<P extends TProperties>(properties: P, env: Env = process.env): Static<TObject<P>> {
  const schema = Type.Object(properties);
  // Empty strings mean "unset", as shells and Kubernetes often produce them.
  const raw = Object.fromEntries(Object.keys(properties).flatMap((k) => (env[k] ? [[k, env[k]]] : [])));
  const value = Value.Default(schema, Value.Convert(schema, raw));
  const problems = [...Value.Errors(schema, value)].map((e) => `${e.path.slice(1) || "(root)"}: ${e.message}`);
  if (problems.length) throw new ConfigError([...new Set(problems)]);
  return value as Static<TObject<P>>;
}

/**
 * A service's `loadConfig(env?)`: the variables every service reads (on
 * its own default ports) and the service's own.
 */
export function configLoader<P extends TProperties>(ports: { port: number; daprPort: number }, properties: P) {
  const all = { ...baseConfig(ports.port, ports.daprPort), ...properties };
  return (env: Env = process.env) => readConfig(all, env);
}

// Variables whose values are secrets by their name; a *_URL may carry a password.
const SECRET_NAME = /(_TOKEN|_SECRET|_PASSWORD|_KEY)$/;

/**
 * What a service's logger must redact: the configured secrets (variables
 * named *_TOKEN, *_SECRET, *_PASSWORD or *_KEY, and the password in any
 * *_URL), and the ones it read from the secret store (`fetched`).
 */
export function collectSecrets(config: Record<string, unknown>, ...fetched: (string | undefined)[]): string[] {
  const found = Object.entries(config).flatMap(([name, value]) => {
    if (typeof value !== "string") return [];
    if (SECRET_NAME.test(name)) return [value];
    if (name.endsWith("_URL")) return passwordOf(value);
    return [];
  });
  return [...new Set([...found, ...fetched].filter((s): s is string => !!s))];
}

/** A URL's password as written (percent-encoded) and as the client sends it. */
function passwordOf(url: string): string[] {
  try {
    const { password } = new URL(url);
    return [password, decodeURIComponent(password)];
  } catch {
    return [];
  }
}
