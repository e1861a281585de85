// Keeps the append-only audit trail; consumes `task-events`.
// The single table of what this service consumes; dapr/subscriptions must match it.
import { PUBSUB, subscription, TOPICS, type AnySubscription } from "@todo/shared";
import type { AuditTrail } from "./trail/store.ts";

export interface SubscriptionDeps {
  trail: AuditTrail;
}

export function subscriptions({ trail }: SubscriptionDeps): AnySubscription[] {
  return [
    subscription({
      name: "audit-log-task-events",
      pubsubname: PUBSUB,
      topic: TOPICS.taskEvents,
      route: "/events/task-events",
      // Invalid payloads never get here: deliver() logs and drops them to task-events-dlq.
      // A database failure throws, which deliver() turns into RETRY.
      handler: async (event, note) => {
        const { data } = event;
        const stored = await trail.append({
          eventId: event.id,
          eventType: data.event_type,
          taskId: data.task_id,
          userId: data.user_id,
          eventTime: new Date(data.timestamp),
          taskData: data.task_data,
          source: event.source ?? null,
        });
        note({ duplicate: !stored });
        return "SUCCESS";
      },
    }),
  ];
}
