import { collectSecrets, createLogger, DaprClient, SECRET_STORE, serve } from "@todo/shared";
import { createApp } from "./app.ts";
import { loadAssets } from "./assets.ts";
import { loadConfig } from "./config.ts";

const config = loadConfig();
const dapr = new DaprClient({ httpPort: config.DAPR_HTTP_PORT, apiToken: config.DAPR_API_TOKEN });
await dapr.waitUntilOutboundReady();
const devJwtSecret =
  config.DEV_LOGIN === "true" ? (await dapr.getSecret(SECRET_STORE, "jwt-secret"))["jwt-secret"] : undefined;
const log = createLogger({
  service: "web",
  level: config.LOG_LEVEL,
  secrets: collectSecrets(config, devJwtSecret),
});
if (devJwtSecret) log.warn("development sign-in is ON: anyone can get a token for any user name");
const app = createApp({ dapr, log, assets: await loadAssets(), wsUrl: config.WS_URL, devJwtSecret });
serve(app, { port: config.PORT, hostname: config.HOST, log, maxRequestBodySize: config.MAX_BODY_BYTES });
