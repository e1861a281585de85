// The caller's in-app notifications, which notification keeps; todo-api asks
// it through Dapr service invocation (upstream/notification.ts), always for
// the calling user only.
import { Elysia, t } from "elysia";
import { FeedItem, FeedPage, type RateLimiter, type TokenVerifier } from "@todo/shared";
import { authentication } from "../auth/plugin.ts";
import type { UserDirectory } from "../auth/users.ts";
import { upstreamErrors } from "../error-responses.ts";
import { checkRowId, RowId } from "../tasks/model.ts";
import { PageQuery, pageLimit } from "../upstream/page.ts";
import type { NotificationFeed } from "../upstream/notification.ts";

const tags = ["notifications"];

export function notificationRoutes(
  feed: NotificationFeed,
  verify: TokenVerifier,
  users: UserDirectory,
  limiter?: RateLimiter,
) {
  return new Elysia({ prefix: "/api/notifications" })
    .use(authentication(verify, users, limiter))
    .onBeforeHandle(checkRowId)
    .get(
      "",
      ({ user, query }) => feed.page({ user_id: user.userId, cursor: query.cursor, limit: pageLimit(query.limit) }),
      {
        query: PageQuery,
        response: { 200: FeedPage, ...upstreamErrors },
        detail: { tags, summary: "The caller's in-app notifications, newest first" },
      },
    )
    .post("/:id/read", ({ user, params }) => feed.markRead(params.id, { user_id: user.userId }), {
      params: t.Object({ id: RowId }),
      response: { 200: FeedItem, ...upstreamErrors },
      detail: { tags, summary: "Marks one of the caller's notifications read" },
    });
}
