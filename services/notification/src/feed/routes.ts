// The in-app feed, reached only through Dapr service invocation (todo-api).
// Until deliveries land, every feed is empty; the route, its query and its
// guard are the real ones.
import { Elysia, t } from "elysia";
import { appTokenGuard } from "@todo/shared";

export const FeedQuery = t.Object({
  user_id: t.String({ minLength: 1 }),
  cursor: t.Optional(t.String()),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 100 })),
});

export function feedRoutes(appToken: string | undefined) {
  return new Elysia().use(appTokenGuard(appToken)).get("/notifications", () => ({ items: [] as unknown[], next_cursor: null }), { query: FeedQuery });
}
