// Fans task updates out to WebSocket clients; consumes `task-updates`.
// The single table of what this service consumes; dapr/subscriptions must match it.
import { eventFields, PUBSUB_FANOUT, subscription, TOPICS, type AnySubscription, type Logger } from "@todo/shared";
import type { Hub } from "./fanout/hub.ts";

export interface SubscriptionDeps {
  log: Logger;
  hub: Hub;
}

export function subscriptions({ log, hub }: SubscriptionDeps): AnySubscription[] {
  return [
    subscription({
      name: "ws-sync-task-updates",
      pubsubname: PUBSUB_FANOUT,
      topic: TOPICS.taskUpdates,
      route: "/events/task-updates",
      // Sending never waits on a socket, so the handler answers at once and the
      // next update of the partition follows in order.
      handler: async (event) => {
        const sockets = hub.publish(event.data);
        log.info("event received", { ...eventFields(event), sockets });
        return "SUCCESS";
      },
    }),
  ];
}
