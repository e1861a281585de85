// Fans task updates out to WebSocket clients; consumes `task-updates`.
// The single table of what this service consumes; dapr/subscriptions must match it.
import { currentTraceparent, PUBSUB_FANOUT, subscription, TOPICS, type AnySubscription } from "@todo/shared";
import type { LiveFrom } from "./fanout/history.ts";
import type { Hub } from "./fanout/hub.ts";
import { historySkipped } from "./fanout/metrics.ts";

export interface SubscriptionDeps {
  hub: Hub;
  /** Tells the topic's retained history (read on a fresh start) from live updates. */
  liveFrom: LiveFrom;
}

export function subscriptions({ hub, liveFrom }: SubscriptionDeps): AnySubscription[] {
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
        if (liveFrom.isHistory(event.time)) {
          historySkipped.inc();
          note({ skipped: "published before this instance started", published_at: event.time });
          return "SUCCESS";
        }
        note({ sockets: hub.publish(event.data, currentTraceparent()) });
        return "SUCCESS";
      },
    }),
  ];
}
