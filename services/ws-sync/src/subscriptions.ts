// Fans task updates out to WebSocket clients; consumes `task-updates`.
// The single table of what this service consumes; dapr/subscriptions must match it.
import { PUBSUB_FANOUT, subscription, TOPICS, type Logger, type AnySubscription } from "@todo/shared";

export interface SubscriptionDeps {
  log: Logger;
}

export function subscriptions({ log }: SubscriptionDeps): AnySubscription[] {
  return [
    subscription({
      name: "ws-sync-task-updates",
      pubsubname: PUBSUB_FANOUT,
      topic: TOPICS.taskUpdates,
      route: "/events/task-updates",
      handler: async (event) => {
        // Skeleton: record the delivery; the behaviour arrives with this service's issue.
        log.info("event received", { event_id: event.id, topic: event.topic, source: event.source, data: event.data });
        return "SUCCESS";
      },
    }),
  ];
}
