// A task's audit trail and the caller's notifications live in other
// services; todo-api fetches them through Dapr service invocation, always
// for the calling user only.
import { Elysia, t } from "elysia";
import {
  APP_IDS,
  AppError,
  invalid,
  notFound,
  type DaprClient,
  type InvokeOptions,
  type RateLimiter,
  type TokenVerifier,
} from "@todo/shared";
import { authentication } from "../auth/plugin.ts";
import type { UserDirectory } from "../auth/users.ts";
import { checkRowId, RowId, TaskIdParams } from "../tasks/model.ts";
import { ErrorBody, errors } from "../tasks/routes.ts";
import type { TaskService } from "../tasks/service.ts";

const PageOf = t.Object({ items: t.Array(t.Record(t.String(), t.Unknown())), next_cursor: t.Nullable(t.String()) });
const NotificationPage = t.Object({
  items: t.Array(t.Record(t.String(), t.Unknown())),
  next_cursor: t.Nullable(t.String()),
  unread_count: t.Integer(),
});
const upstreamErrors = { ...errors, 502: ErrorBody, 503: ErrorBody };

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

async function invoke(dapr: DaprClient, appId: string, path: string, options: InvokeOptions): Promise<Response> {
  try {
    return await dapr.invoke(appId, path, options);
  } catch {
    throw new AppError(503, "unavailable", `${appId} is not reachable right now`);
  }
}

/** The upstream's answer, its 404 and 422 passed on as ours, anything else unexpected as a 502. */
async function upstreamJson<T>(res: Response, appId: string, missing = "Not found"): Promise<T> {
  if (res.ok) return (await res.json()) as T;
  const text = await res.text();
  const error = (() => {
    try {
      return (JSON.parse(text) as { error?: { code?: string; message?: string; fields?: Record<string, string> } })
        .error;
    } catch {
      return undefined;
    }
  })();
  if (res.status === 404 && error?.code === "not_found") throw notFound(missing);
  if (res.status === 422 && error?.fields) throw invalid(error.fields);
  throw new AppError(502, "upstream_failed", `${appId} answered ${res.status}`);
}

async function invokeJson(dapr: DaprClient, appId: string, path: string, query: Record<string, string | undefined>) {
  return upstreamJson<{ items: Record<string, unknown>[]; next_cursor: string | null }>(
    await invoke(dapr, appId, path, { query }),
    appId,
  );
}

export function historyRoutes(
  service: TaskService,
  dapr: DaprClient,
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
        const exists = await service.get(user.userId, params.id).then(
          () => true,
          () => false,
        );
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
      {
        params: TaskIdParams,
        query: HistoryQuery,
        response: { 200: PageOf, ...upstreamErrors },
        detail: { tags: ["tasks"], summary: "A task's audit trail, oldest first, optionally within [since, until)" },
      },
    )
    .get(
      "/notifications",
      async ({ user, query }) => {
        const res = await invoke(dapr, APP_IDS.notification, "notifications", {
          query: { user_id: user.userId, cursor: query.cursor, limit: pageLimit(query.limit) },
        });
        return upstreamJson<{ items: Record<string, unknown>[]; next_cursor: string | null; unread_count: number }>(
          res,
          APP_IDS.notification,
        );
      },
      {
        query: Page,
        response: { 200: NotificationPage, ...upstreamErrors },
        detail: { tags: ["notifications"], summary: "The caller's in-app notifications, newest first" },
      },
    )
    .post(
      "/notifications/:id/read",
      async ({ user, params }) => {
        const path = `notifications/${params.id}/read`;
        const res = await invoke(dapr, APP_IDS.notification, path, { method: "POST", body: { user_id: user.userId } });
        return upstreamJson<Record<string, unknown>>(res, APP_IDS.notification, "Notification not found");
      },
      {
        params: t.Object({ id: RowId }),
        response: { 200: t.Record(t.String(), t.Unknown()), ...upstreamErrors },
        detail: { tags: ["notifications"], summary: "Marks one of the caller's notifications read" },
      },
    );
}
