import { expect, test } from "bun:test";
import { baseConfig, collectSecrets, ConfigError, configLoader, databaseUrl, readConfig } from "../src/index.ts";

test("defaults apply and numbers are converted", () => {
  const config = readConfig(baseConfig(3000, 3500), { PORT: "4000" });
  expect(config.PORT).toBe(4000);
  expect(config.DAPR_HTTP_PORT).toBe(3500);
  expect(config.LOG_LEVEL).toBe("info");
});

test("every bad variable is reported at once", () => {
  let error: unknown;
  try {
    readConfig(baseConfig(3000, 3500), { PORT: "http", DAPR_HTTP_PORT: "70000", LOG_LEVEL: "loud" });
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const problems = (error as ConfigError).problems.join("\n");
  expect(problems).toContain("PORT");
  expect(problems).toContain("DAPR_HTTP_PORT");
  expect(problems).toContain("LOG_LEVEL");
});

test("empty strings count as unset", () => {
  expect(readConfig(baseConfig(3000, 3500), { PORT: "", DAPR_API_TOKEN: "" }).PORT).toBe(3000);
});

test("a service's loader reads the base variables on its own default ports and its own", () => {
  const load = configLoader({ port: 3001, daprPort: 3501 }, { DATABASE_URL: databaseUrl("x") });
  expect(load({ DATABASE_URL: "postgres://localhost/x" })).toMatchObject({
    PORT: 3001,
    DAPR_HTTP_PORT: 3501,
    DATABASE_URL: "postgres://localhost/x",
  });
  expect(() => load({})).toThrow(/DATABASE_URL/);
});

test("collectSecrets finds the secret variables, a URL's password and what was fetched, and nothing else", () => {
  const config = {
    PORT: 3000,
    LOG_LEVEL: "info",
    DAPR_API_TOKEN: "dapr-token",
    APP_API_TOKEN: undefined,
    JWT_SECRET: "jwt-secret",
    LLM_API_KEY: "model-key",
    SMTP_PASSWORD: "smtp-pass",
    SMTP_USER: "mailer",
    DATABASE_URL: "postgres://todo:p%40ss@db:5432/todo",
    LLM_BASE_URL: "https://api.example.com/v1",
  };
  expect(collectSecrets(config, "from-store", undefined).sort()).toEqual(
    ["dapr-token", "jwt-secret", "model-key", "smtp-pass", "p%40ss", "p@ss", "from-store"].sort(),
  );
});
