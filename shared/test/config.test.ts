import { expect, test } from "bun:test";
import { baseConfig, ConfigError, loadConfig } from "../src/index.ts";

test("defaults apply and numbers are converted", () => {
  const config = loadConfig(baseConfig(3000, 3500), { PORT: "4000" });
  expect(config.PORT).toBe(4000);
  expect(config.DAPR_HTTP_PORT).toBe(3500);
  expect(config.LOG_LEVEL).toBe("info");
});

test("every bad variable is reported at once", () => {
  let error: unknown;
  try {
    loadConfig(baseConfig(3000, 3500), { PORT: "http", DAPR_HTTP_PORT: "70000", LOG_LEVEL: "loud" });
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
  expect(loadConfig(baseConfig(3000, 3500), { PORT: "", DAPR_API_TOKEN: "" }).PORT).toBe(3000);
});
