// Keeps the append-only audit trail; consumes `task-events`.
// The single table of what this service consumes; dapr/subscriptions must match it.
import { PUBSUB, subscription, TOPICS, type Logger, type AnySubscription } from "@todo/shared";

export interface SubscriptionDeps {
  log: Logger;
}

export function subscriptions({ log }: SubscriptionDeps): AnySubscription[] {
  return [
    subscription({
      name: "audit-log-task-events",
      pubsubname: PUBSUB,
      topic: TOPICS.taskEvents,
      route: "/events/task-events",
      handler: async (event) => {
        log.info("event received", { event_id: event.id, topic: event.topic, task_id: event.data.task_id, user_id: event.data.user_id });
        return "SUCCESS";
      },
    }),
  ];
}
