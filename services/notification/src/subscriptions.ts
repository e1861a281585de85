// Sends reminder emails and keeps the in-app feed; consumes `reminders`.
// The single table of what this service consumes; dapr/subscriptions must match it.
import { PUBSUB, subscription, TOPICS, type Logger, type AnySubscription } from "@todo/shared";

export interface SubscriptionDeps {
  log: Logger;
}

export function subscriptions({ log }: SubscriptionDeps): AnySubscription[] {
  return [
    subscription({
      name: "notification-reminders",
      pubsubname: PUBSUB,
      topic: TOPICS.reminders,
      route: "/events/reminders",
      handler: async (event) => {
        // Skeleton: record the delivery; the behaviour arrives with this service's issue.
        log.info("event received", { event_id: event.id, topic: event.topic, source: event.source, data: event.data });
        return "SUCCESS";
      },
    }),
  ];
}
