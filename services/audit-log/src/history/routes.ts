// History queries, reached only through Dapr service invocation (todo-api).
// Until the audit store lands, every history is empty; the route, its query
// and its guard are the real ones.
import { Elysia, t } from "elysia";
import { appTokenGuard } from "@todo/shared";

export const HistoryQuery = t.Object({
  user_id: t.String({ minLength: 1 }),
  task_id: t.Optional(t.Integer({ minimum: 1 })),
  cursor: t.Optional(t.String()),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 100 })),
});

export function historyRoutes(appToken: string | undefined) {
  return new Elysia().use(appTokenGuard(appToken)).get("/history", () => ({ items: [] as unknown[], next_cursor: null }), { query: HistoryQuery });
}
