// Recording a delivered reminder: the in-app notification and its pending
// email, once per (task, remind_at) and once per event id, in one transaction
// with the processed_events row. The dispatcher sends the email afterwards.
import type { DeliveredEvent, HandlerResult, Logger, Reminder } from "@todo/shared";
import type { Database } from "../db/client.ts";
import { emailDeliveries, notifications, processedEvents } from "../db/schema.ts";
import { observeLateness } from "../metrics.ts";

export interface ReminderDeps {
  db: Database;
  log: Logger;
  consumer: string;
  /** Called after a new notification is committed (wakes the dispatcher). */
  onRecorded: () => void;
}

export async function onReminder(event: DeliveredEvent<Reminder>, deps: ReminderDeps): Promise<HandlerResult> {
  const r = event.data;
  const received = Date.now();
  const fields = { event_id: event.id, task_id: r.task_id, user_id: r.user_id };
  const outcome = await deps.db.transaction(async (tx) => {
    const fresh = await tx
      .insert(processedEvents)
      .values({ consumer: deps.consumer, eventId: event.id })
      .onConflictDoNothing()
      .returning();
    if (fresh.length === 0) return "duplicate event";
    const [row] = await tx
      .insert(notifications)
      .values({
        userId: r.user_id,
        taskId: r.task_id,
        title: r.title,
        dueAt: new Date(r.due_at),
        remindAt: new Date(r.remind_at),
      })
      .onConflictDoNothing({ target: [notifications.taskId, notifications.remindAt] })
      .returning({ id: notifications.id });
    if (!row) return "duplicate reminder";
    await tx.insert(emailDeliveries).values({ notificationId: row.id });
    return row.id;
  });
  if (typeof outcome === "number") {
    observeLateness(r.remind_at, received);
    deps.log.info("notification recorded", { ...fields, notification_id: outcome });
    deps.onRecorded();
  } else {
    deps.log.info(`${outcome}; nothing sent again`, fields);
  }
  return "SUCCESS";
}
