// Keeps the append-only audit trail; consumes `task-events`.
// The single table of what this service consumes; dapr/subscriptions must match it.
import { PUBSUB, subscription, TOPICS, type AnySubscription, type DeliveredEvent, type TaskEvent } from "@todo/shared";
import type { AuditTrail, NewAuditEvent } from "./trail/store.ts";

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
      // Batches of up to 100, or what came within 100 ms: nobody waits on
      // the trail, and one INSERT per batch is what keeps up with a burst.
      bulk: { maxMessagesCount: 100, maxAwaitDurationMs: 100 },
      // Invalid payloads never get here: the delivery code logs and drops them to task-events-dlq.
      // A database failure throws, which retries the batch's valid entries.
      batchHandler: async (events) => {
        const stored = await trail.appendAll(events.map(auditRow));
        // An id twice in one batch is stored once: only its first entry counts as stored.
        const seen = new Set<string>();
        return events.map((event) => {
          const duplicate = !stored.has(event.id) || seen.has(event.id);
          seen.add(event.id);
          return { result: "SUCCESS", note: { duplicate } };
        });
      },
      handler: async (event, note) => {
        const stored = await trail.appendAll([auditRow(event)]);
        note({ duplicate: !stored.has(event.id) });
        return "SUCCESS";
      },
    }),
  ];
}

function auditRow(event: DeliveredEvent<TaskEvent>): NewAuditEvent {
  const { data } = event;
  return {
    eventId: event.id,
    eventType: data.event_type,
    taskId: data.task_id,
    userId: data.user_id,
    eventTime: new Date(data.timestamp),
    taskData: data.task_data,
    source: event.source ?? null,
  };
}
