import { createLogger, DaprClient, serve } from "@todo/shared";
import { createApp } from "./app.ts";
import { loadTodoApiConfig } from "./config.ts";

const config = loadTodoApiConfig();
const log = createLogger({ service: "todo-api", level: config.LOG_LEVEL, secrets: [config.DAPR_API_TOKEN ?? "", config.APP_API_TOKEN ?? ""] });
const dapr = new DaprClient({ httpPort: config.DAPR_HTTP_PORT, apiToken: config.DAPR_API_TOKEN });
serve(createApp({ dapr, log }), { port: config.PORT, hostname: config.HOST, log });
