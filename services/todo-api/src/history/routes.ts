// A task's audit trail, which audit-log keeps; todo-api asks it through Dapr
// service invocation (upstream/audit-log.ts), always for the calling user only.
import { Elysia, t } from "elysia";
import { HistoryPage, notFound, type RateLimiter, type TokenVerifier } from "@todo/shared";
import { authentication } from "../auth/plugin.ts";
import type { UserDirectory } from "../auth/users.ts";
import { upstreamErrors } from "../error-responses.ts";
import { checkRowId, TaskIdParams } from "../tasks/model.ts";
import type { TaskService } from "../tasks/service.ts";
import type { AuditLog } from "../upstream/audit-log.ts";
import { PageQuery, pageLimit } from "../upstream/page.ts";

const HistoryQuery = t.Object({
  ...PageQuery.properties,
  since: t.Optional(t.String({ maxLength: 64, description: "ISO 8601; events at or after it" })),
  until: t.Optional(t.String({ maxLength: 64, description: "ISO 8601; events before it" })),
});

export function historyRoutes(
  service: TaskService,
  audit: AuditLog,
  verify: TokenVerifier,
  users: UserDirectory,
  limiter?: RateLimiter,
) {
  return new Elysia({ prefix: "/api" })
    .use(authentication(verify, users, limiter))
    .onBeforeHandle(checkRowId)
    .get(
      "/tasks/:id/history",
      async ({ user, params, query }) => {
        const exists = await service.exists(user.userId, params.id);
        const page = await audit.history({
          user_id: user.userId,
          task_id: params.id,
          cursor: query.cursor,
          limit: pageLimit(query.limit),
          since: query.since,
          until: query.until,
        });
        // A deleted task keeps its history for its owner; a stranger's id has none.
        if (!exists && page.items.length === 0 && !query.cursor) throw notFound("Task not found");
        return page;
      },
      {
        params: TaskIdParams,
        query: HistoryQuery,
        response: { 200: HistoryPage, ...upstreamErrors },
        detail: { tags: ["tasks"], summary: "A task's audit trail, oldest first, optionally within [since, until)" },
      },
    );
}
