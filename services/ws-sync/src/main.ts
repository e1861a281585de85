import { collectSecrets, createLogger, DaprClient, loadTokenVerifier, serve } from "@todo/shared";
import { createWsSync } from "./app.ts";
import { loadConfig } from "./config.ts";

const config = loadConfig();
const dapr = new DaprClient({ httpPort: config.DAPR_HTTP_PORT, apiToken: config.DAPR_API_TOKEN });
await dapr.waitUntilOutboundReady();
const { verify, secret } = await loadTokenVerifier(config, dapr);
const log = createLogger({ service: "ws-sync", level: config.LOG_LEVEL, secrets: collectSecrets(config, secret) });
const { app, hub } = createWsSync({ config, dapr, log, verify });
serve(app, { port: config.PORT, hostname: config.HOST, log, closeConnections: () => hub.closeAll() });
