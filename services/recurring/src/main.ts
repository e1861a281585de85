import { createLogger, DaprClient, serve } from "@todo/shared";
import { createApp } from "./app.ts";
import { loadServiceConfig } from "./config.ts";

const config = loadServiceConfig();
const log = createLogger({ service: "recurring", level: config.LOG_LEVEL, secrets: [config.DAPR_API_TOKEN ?? "", config.APP_API_TOKEN ?? ""] });
const dapr = new DaprClient({ httpPort: config.DAPR_HTTP_PORT, apiToken: config.DAPR_API_TOKEN });
serve(createApp({ config, dapr, log }), { port: config.PORT, hostname: config.HOST, log });
