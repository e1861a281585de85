// Fans task updates out to WebSocket clients; consumes `task-updates`.
// The single table of what this service consumes; dapr/subscriptions must match it.
import { currentTraceparent, PUBSUB_FANOUT, subscription, TOPICS, type AnySubscription } from "@todo/shared";
import type { Hub } from "./fanout/hub.ts";

export interface SubscriptionDeps {
  hub: Hub;
}

export function subscriptions({ hub }: SubscriptionDeps): AnySubscription[] {
  return [
    subscription({
      name: "ws-sync-task-updates",
      pubsubname: PUBSUB_FANOUT,
      topic: TOPICS.taskUpdates,
      route: "/events/task-updates",
      // Sending never waits on a socket, so the handler answers at once and the
      // next update of the partition follows in order. The frame carries this
      // consume span's context, which continues the write's trace.
      handler: async (event, note) => {
        note({ sockets: hub.publish(event.data, currentTraceparent()) });
        return "SUCCESS";
      },
    }),
  ];
}
