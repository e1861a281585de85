// todo-api: the producer. createApp wires the feature modules; main.ts
// builds the dependencies and listens, tests drive createApp directly.
import type { NewOutboxRow } from "./db/schema.ts";
import { openapi } from "@elysiajs/openapi";
import { Elysia } from "elysia";
import {
  errorBody,
  errorHandler,
  healthRoutes,
  RateLimiter,
  sidecarReachable,
  type DaprClient,
  type Logger,
  type TokenVerifier,
  observeHttp,
} from "@todo/shared";
import { UserDirectory } from "./auth/users.ts";
import type { Database, Sql } from "./db/client.ts";
import { DaprConversationStore } from "./chat/conversations.ts";
import type { ModelSettings } from "./chat/llm.ts";
import { parseRoutes } from "./chat/parse-routes.ts";
import { chatRoutes } from "./chat/routes.ts";
import { ChatService } from "./chat/service.ts";
import { historyRoutes } from "./history/routes.ts";
import { internalRoutes } from "./internal/routes.ts";
import { mcpRoutes } from "./mcp/routes.ts";
import { notificationRoutes } from "./notifications/routes.ts";
import { jobRoutes } from "./reminders/routes.ts";
import { methodNotAllowed } from "./method-not-allowed.ts";
import { OPENAPI_RAW_PATH, openApiRoute } from "./openapi.ts";
import { TaskService } from "./tasks/service.ts";
import { taskRoutes } from "./tasks/routes.ts";
import { auditLog } from "./upstream/audit-log.ts";
import { notificationFeed } from "./upstream/notification.ts";

export interface Deps {
  db: Database;
  sql: Sql;
  dapr: DaprClient;
  log: Logger;
  verify: TokenVerifier;
  /** Wakes the outbox relay after each commit (only the rows' targets, when it is given the rows). */
  onCommit: (rows?: NewOutboxRow[]) => void;
  /** The outbox backlog per target, shown in /readyz's detail. */
  relayState?: () => Promise<Record<string, unknown>>;
  appToken: string | undefined;
  maxBodyBytes: number;
  /** The most a stored chat conversation may weigh (history-bound.ts). */
  chatHistoryMaxBytes: number;
  /** Per-user request budget of the public API. */
  rateLimit: { burst: number; perSecond: number };
  /** An OpenAI-compatible model for the chat; without one the parser answers. */
  model?: ModelSettings | undefined;
}

export function createApp(deps: Deps) {
  const users = new UserDirectory(deps.db);
  const tasks = new TaskService({ db: deps.db, sql: deps.sql, onCommit: deps.onCommit });
  const limiter = new RateLimiter(deps.rateLimit);
  const chat = new ChatService({
    tasks,
    store: new DaprConversationStore(deps.dapr, deps.log, deps.chatHistoryMaxBytes),
    log: deps.log,
    model: deps.model,
  });
  // Unknown body fields are a 422, not stripped: Elysia workaround 1 (docs/architecture.md, "Elysia workarounds").
  const app = new Elysia({ normalize: false })
    .use(observeHttp("todo-api"))
    .use(methodNotAllowed((): { method: string; path: string }[] => app.routes))
    .use(errorHandler(deps.log))
    .onRequest(({ request, set }) => {
      // Bun enforces the limit on the wire too; this answers early and in our error shape.
      if (Number(request.headers.get("content-length") ?? 0) > deps.maxBodyBytes) {
        set.status = 413;
        return errorBody("too_large", `The request body is larger than ${deps.maxBodyBytes} bytes`);
      }
    })
    .use(
      openapi({
        path: "/docs",
        specPath: OPENAPI_RAW_PATH,
        documentation: {
          info: {
            title: "Todo API",
            version: "1.0.0",
            description: "Tasks with priorities, tags, due dates, reminders and recurrence.",
          },
          components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
          security: [{ bearer: [] }],
        },
      }),
    )
    .use(
      healthRoutes(
        { database: () => deps.sql`select 1`, sidecar: sidecarReachable(deps.dapr) },
        2000,
        deps.relayState && (async () => ({ outbox: await deps.relayState!() })),
      ),
    )
    .use(internalRoutes(tasks, users, deps.appToken))
    .use(jobRoutes({ db: deps.db, onCommit: deps.onCommit }, deps.log, deps.appToken))
    .use(parseRoutes(deps.verify, users, limiter))
    .use(taskRoutes(tasks, deps.verify, users, limiter))
    .use(historyRoutes(tasks, auditLog(deps.dapr), deps.verify, users, limiter))
    .use(notificationRoutes(notificationFeed(deps.dapr), deps.verify, users, limiter))
    .use(mcpRoutes(tasks, deps.verify, users, limiter))
    .use(chatRoutes(chat, deps.verify, users, limiter));
  return app.use(openApiRoute((request) => app.handle(request)));
}
