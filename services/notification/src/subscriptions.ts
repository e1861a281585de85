// Sends reminder emails and keeps the in-app feed; consumes `reminders`.
// The single table of what this service consumes; dapr/subscriptions must match it.
import { PUBSUB, subscription, TOPICS, type AnySubscription } from "@todo/shared";
import { onReminder, type ReminderDeps } from "./reminders/service.ts";

export const CONSUMER = "notification-reminders";

export function subscriptions(deps: Omit<ReminderDeps, "consumer">): AnySubscription[] {
  return [
    subscription({
      name: CONSUMER,
      pubsubname: PUBSUB,
      topic: TOPICS.reminders,
      route: "/events/reminders",
      handler: (event) => onReminder(event, { ...deps, consumer: CONSUMER }),
    }),
  ];
}
