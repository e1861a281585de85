// Sends reminder emails and keeps the in-app feed; consumes `reminders`.
// The single table of what this service consumes; dapr/subscriptions must match it.
import { PUBSUB, subscription, TOPICS, type AnySubscription } from "@todo/shared";
import { onReminder, onReminders, type ReminderDeps } from "./reminders/service.ts";

export const CONSUMER = "notification-reminders";

export function subscriptions(deps: Omit<ReminderDeps, "consumer">): AnySubscription[] {
  const reminderDeps = { ...deps, consumer: CONSUMER };
  return [
    subscription({
      name: CONSUMER,
      pubsubname: PUBSUB,
      topic: TOPICS.reminders,
      route: "/events/reminders",
      // A burst of due reminders is recorded a batch per transaction; the
      // short wait bounds what a lone reminder pays for it (bench R3).
      bulk: { maxMessagesCount: 100, maxAwaitDurationMs: 10 },
      batchHandler: (events) => onReminders(events, reminderDeps),
      handler: (event) => onReminder(event, reminderDeps),
    }),
  ];
}
