// A task's audit trail and the caller's notifications live in other
// services; todo-api fetches them through Dapr service invocation, always
// for the calling user only.
import { Elysia, t } from "elysia";
import { APP_IDS, AppError, invalid, notFound, type DaprClient, type TokenVerifier } from "@todo/shared";
import { authentication } from "../auth/plugin.ts";
import type { UserDirectory } from "../auth/users.ts";
import { TaskIdParams } from "../tasks/model.ts";
import type { TaskService } from "../tasks/service.ts";

const Page = t.Object({
  cursor: t.Optional(t.String({ maxLength: 500 })),
  limit: t.Optional(t.Integer({ description: "1 to 100" })),
});

const HistoryQuery = t.Object({
  ...Page.properties,
  since: t.Optional(t.String({ maxLength: 64, description: "ISO 8601; events at or after it" })),
  until: t.Optional(t.String({ maxLength: 64, description: "ISO 8601; events before it" })),
});

function pageLimit(limit: number | undefined): string | undefined {
  if (limit === undefined) return undefined;
  if (limit < 1 || limit > 100) throw invalid({ limit: "must be from 1 to 100" });
  return String(limit);
}

async function invokeJson(dapr: DaprClient, appId: string, path: string, query: Record<string, string | undefined>) {
  let res: Response;
  try {
    res = await dapr.invoke(appId, path, { query });
  } catch {
    throw new AppError(503, "unavailable", `${appId} is not reachable right now`);
  }
  // The caller's own mistake (a bad cursor or date), named by the service that judged it.
  if (res.status === 422) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string; fields?: Record<string, string> } } | null;
    throw new AppError(422, "invalid", body?.error?.message ?? "Invalid query", body?.error?.fields);
  }
  if (!res.ok) {
    await res.arrayBuffer();
    throw new AppError(502, "upstream_failed", `${appId} answered ${res.status}`);
  }
  return (await res.json()) as { items: unknown[]; next_cursor: string | null };
}

export function historyRoutes(service: TaskService, dapr: DaprClient, verify: TokenVerifier, users: UserDirectory) {
  return new Elysia({ prefix: "/api" })
    .use(authentication(verify, users))
    .get(
      "/tasks/:id/history",
      async ({ user, params, query }) => {
        const exists = await service.get(user.userId, params.id).then(() => true, () => false);
        const page = await invokeJson(dapr, APP_IDS.auditLog, "history", {
          task_id: String(params.id),
          user_id: user.userId,
          cursor: query.cursor,
          limit: pageLimit(query.limit),
          since: query.since,
          until: query.until,
        });
        // A deleted task keeps its history for its owner; a stranger's id has none.
        if (!exists && page.items.length === 0 && !query.cursor) throw notFound("Task not found");
        return page;
      },
      { params: TaskIdParams, query: HistoryQuery, detail: { tags: ["tasks"], summary: "A task's audit trail, oldest first, optionally within [since, until)" } },
    )
    .get(
      "/notifications",
      ({ user, query }) =>
        invokeJson(dapr, APP_IDS.notification, "notifications", {
          user_id: user.userId,
          cursor: query.cursor,
          limit: pageLimit(query.limit),
        }),
      { query: Page, detail: { tags: ["notifications"], summary: "The caller's in-app notifications, newest first" } },
    );
}
