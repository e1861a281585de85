// Sends reminder emails and keeps the in-app feed; consumes `reminders`.
// The single table of what this service consumes; dapr/subscriptions must match it.
import { eventFields, PUBSUB, subscription, TOPICS, type AnySubscription } from "@todo/shared";
import { onReminder, type ReminderDeps } from "./reminders/service.ts";

export const CONSUMER = "notification-reminders";

export function subscriptions(deps: Omit<ReminderDeps, "consumer">): AnySubscription[] {
  const { log } = deps;
  return [
    subscription({
      name: CONSUMER,
      pubsubname: PUBSUB,
      topic: TOPICS.reminders,
      route: "/events/reminders",
      handler: async (event) => {
        log.info("event received", eventFields(event));
        return onReminder(event, { ...deps, consumer: CONSUMER });
      },
    }),
  ];
}
