// Creates the next occurrence of a completed recurring task; consumes `task-events`.
// The single table of what this service consumes; dapr/subscriptions must match it.
import { PUBSUB, subscription, TOPICS, type AnySubscription } from "@todo/shared";
import { onTaskEvent, type OccurrenceDeps } from "./occurrences/service.ts";

export const CONSUMER = "recurring-task-events";

export function subscriptions(deps: OccurrenceDeps): AnySubscription[] {
  return [
    subscription({
      name: CONSUMER,
      pubsubname: PUBSUB,
      topic: TOPICS.taskEvents,
      route: "/events/task-events",
      // Batched: one request from the sidecar for up to 100 events, most of
      // which (anything but a completed recurring task) need no work. Each
      // user's in order (todo-api publishes under the user's id), different
      // users' at once: a completion waits on todo-api, and one at a time
      // recurring fell minutes behind 30 completions/s in the hour soak.
      bulk: { maxMessagesCount: 100, maxAwaitDurationMs: 50 },
      orderKey: (event) => event.data.user_id,
      handler: (event) => onTaskEvent(event, deps),
    }),
  ];
}
