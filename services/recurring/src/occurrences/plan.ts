// The next task of a series, from the completed one: same content and rule,
// the next due time, and the reminder at the same distance before it.
import { nextOccurrence } from "./next.ts";
import type { OccurrenceRequest } from "@todo/shared";
import type { RecurringTask } from "./model.ts";

/** Null when the series has ended (COUNT reached, or past UNTIL). */
export function planNextTask(task: RecurringTask, completedAt: Date, now: Date): OccurrenceRequest | null {
  // Without a due date the completion is the anchor, and there is no
  // reminder offset to keep, so the next task gets no reminder.
  const anchor = task.due_at ? new Date(task.due_at) : completedAt;
  // A task from before the series anchor existed (or a series without due
  // times so far) starts its anchor here, and hands it on from now on.
  const seriesStart = task.series_anchor_at ? new Date(task.series_anchor_at) : anchor;
  const due = nextOccurrence({
    rule: task.recurrence.rule,
    timezone: task.recurrence.timezone,
    anchor,
    seriesStart,
    occurrence: task.occurrence,
    now,
  });
  if (!due) return null;
  const lead =
    task.due_at && task.remind_at ? new Date(task.due_at).getTime() - new Date(task.remind_at).getTime() : null;
  return {
    user_id: task.user_id,
    series_id: task.series_id,
    occurrence: task.occurrence + 1,
    title: task.title,
    description: task.description,
    priority: task.priority,
    tags: task.tags,
    due_at: due.toISOString(),
    remind_at: lead === null ? null : new Date(due.getTime() - lead).toISOString(),
    recurrence: task.recurrence,
    series_anchor_at: task.series_anchor_at ?? task.due_at ?? due.toISOString(),
  };
}
