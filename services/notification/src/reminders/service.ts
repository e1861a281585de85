// Recording delivered reminders: the in-app notification and its pending
// email, once per (task, remind_at) and once per event id, in one transaction
// with the processed_events rows. A bulk delivery records its whole batch in
// that one transaction, three INSERTs however many reminders it carries.
// The dispatcher sends the emails afterwards.
import type { BatchOutcome, DeliveredEvent, HandlerResult, Logger, Reminder } from "@todo/shared";
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

type Recorded = number | "duplicate event" | "duplicate reminder";

export async function onReminder(event: DeliveredEvent<Reminder>, deps: ReminderDeps): Promise<HandlerResult> {
  const [outcome] = await onReminders([event], deps);
  return outcome!.result;
}

/** Records a batch of reminders; one SUCCESS per event, duplicates included. Throws when the database fails. */
export async function onReminders(events: DeliveredEvent<Reminder>[], deps: ReminderDeps): Promise<BatchOutcome[]> {
  const received = Date.now();
  const recorded = await deps.db.transaction(async (tx): Promise<Recorded[]> => {
    const fresh = await tx
      .insert(processedEvents)
      .values(events.map((e) => ({ consumer: deps.consumer, eventId: e.id })))
      .onConflictDoNothing()
      .returning({ eventId: processedEvents.eventId });
    // An event id twice in one batch is fresh once: for its first entry.
    const unclaimed = new Set(fresh.map((f) => f.eventId));
    const firsts = events.filter((e) => unclaimed.delete(e.id));
    const rows =
      firsts.length === 0
        ? []
        : await tx
            .insert(notifications)
            .values(
              firsts.map(({ data: r }) => ({
                userId: r.user_id,
                taskId: r.task_id,
                title: r.title,
                dueAt: new Date(r.due_at),
                remindAt: new Date(r.remind_at),
              })),
            )
            .onConflictDoNothing({ target: [notifications.taskId, notifications.remindAt] })
            .returning({ id: notifications.id, taskId: notifications.taskId, remindAt: notifications.remindAt });
    if (rows.length > 0) await tx.insert(emailDeliveries).values(rows.map((row) => ({ notificationId: row.id })));
    const created = new Map(rows.map((row) => [reminderKey(row.taskId, row.remindAt), row.id]));
    const firstIds = new Set(firsts.map((e) => e.id));
    return events.map((e) => {
      if (!firstIds.delete(e.id)) return "duplicate event";
      const key = reminderKey(e.data.task_id, new Date(e.data.remind_at));
      const id = created.get(key);
      created.delete(key); // the same reminder under two event ids: the second is a duplicate
      return id ?? "duplicate reminder";
    });
  });
  let any = false;
  for (const [i, outcome] of recorded.entries()) {
    const { id, data: r } = events[i]!;
    const fields = { event_id: id, task_id: r.task_id, user_id: r.user_id };
    if (typeof outcome === "number") {
      any = true;
      observeLateness(r.remind_at, received);
      deps.log.info("notification recorded", { ...fields, notification_id: outcome });
    } else {
      deps.log.info(`${outcome}; nothing sent again`, fields);
    }
  }
  if (any) deps.onRecorded();
  return events.map(() => ({ result: "SUCCESS" }));
}

const reminderKey = (taskId: number, remindAt: Date) => `${taskId}@${remindAt.getTime()}`;
