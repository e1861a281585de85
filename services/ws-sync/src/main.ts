import { createLogger, DaprClient, loadTokenVerifier, serve } from "@todo/shared";
import { createWsSync } from "./app.ts";
import { loadServiceConfig } from "./config.ts";

const config = loadServiceConfig();
const dapr = new DaprClient({ httpPort: config.DAPR_HTTP_PORT, apiToken: config.DAPR_API_TOKEN });
await dapr.waitUntilOutboundReady();
const { verify, secret } = await loadTokenVerifier(config, dapr);
const secrets = [config.DAPR_API_TOKEN, config.APP_API_TOKEN, secret].filter((s): s is string => !!s);
const log = createLogger({ service: "ws-sync", level: config.LOG_LEVEL, secrets });
const { app, hub } = createWsSync({ config, dapr, log, verify });
serve(app, { port: config.PORT, hostname: config.HOST, log, closeConnections: () => hub.closeAll() });
