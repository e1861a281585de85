// The in-app feed, reached only through Dapr service invocation (todo-api
// passes the caller's user id; the app token keeps everyone else out). Its
// shapes are @todo/shared's contracts (FeedQuery, FeedPage, ReadBody, FeedItem).
import { Elysia, t } from "elysia";
import { appTokenGuard, FeedQuery, ReadBody } from "@todo/shared";
import type { FeedService } from "./service.ts";

export function feedRoutes(feed: FeedService, appToken: string | undefined) {
  return new Elysia()
    .use(appTokenGuard(appToken))
    .get("/notifications", ({ query }) => feed.list(query), { query: FeedQuery })
    .post("/notifications/:id/read", ({ params, body }) => feed.markRead(body.user_id, params.id), {
      params: t.Object({ id: t.Integer() }),
      body: ReadBody,
    });
}
