// History queries, reached only through Dapr service invocation (todo-api,
// which always passes the calling user's id).
import { Elysia } from "elysia";
import { appTokenGuard, HistoryQuery } from "@todo/shared";
import type { AuditTrail } from "../trail/store.ts";
import { historyPage } from "./service.ts";

export function historyRoutes(trail: AuditTrail, appToken: string | undefined) {
  return new Elysia().use(appTokenGuard(appToken)).get("/history", ({ query }) => historyPage(trail, query), {
    query: HistoryQuery,
    detail: { summary: "A user's or one task's audit trail, oldest first" },
  });
}
