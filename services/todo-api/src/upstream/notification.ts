// notification's in-app feed (FeedQuery → FeedPage, ReadBody → FeedItem in @todo/shared), through the sidecar.
import { APP_IDS, type DaprClient, type FeedItem, type FeedPage, type FeedQuery, type ReadBody } from "@todo/shared";
import { invokeUpstream } from "./invoke.ts";

export interface NotificationFeed {
  page(query: FeedQuery): Promise<FeedPage>;
  markRead(id: number, body: ReadBody): Promise<FeedItem>;
}

export function notificationFeed(dapr: DaprClient): NotificationFeed {
  return {
    page: ({ limit, ...rest }) =>
      invokeUpstream(dapr, APP_IDS.notification, "notifications", {
        query: { ...rest, limit: limit?.toString() },
      }),
    markRead: (id, body) =>
      invokeUpstream(
        dapr,
        APP_IDS.notification,
        `notifications/${id}/read`,
        { method: "POST", body },
        "Notification not found",
      ),
  };
}
