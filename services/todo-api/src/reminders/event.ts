// The `reminders` event a due reminder sends, whether its job fired
// (firing.ts) or the sweeper stepped in (sweeper.ts).
import { TOPICS, type Reminder } from "@todo/shared";
import { v5 as uuidv5 } from "uuid";
import type { NewOutboxRow, TaskRow } from "../db/schema.ts";

// A fixed namespace: the same (task, remind_at) always yields the same event
// id, so a job that fires twice produces one reminder downstream.
const REMINDER_NAMESPACE = "6f1d1f5e-3a0b-4c55-9a7e-2f4b8c1d9e10";

/** The outbox row of a task's reminder; the task has a remind_at. */
export function reminderEventRow(task: TaskRow): NewOutboxRow {
  const remindAt = task.remindAt!.toISOString();
  const reminder: Reminder = {
    task_id: task.id,
    title: task.title,
    // A reminder on an undated task is due when it reminds.
    due_at: task.dueAt?.toISOString() ?? remindAt,
    remind_at: remindAt,
    user_id: task.userId,
  };
  return {
    kind: "publish",
    eventId: uuidv5(`${task.id}|${remindAt}`, REMINDER_NAMESPACE),
    target: TOPICS.reminders,
    userId: task.userId,
    payload: reminder,
  };
}
