// A stored row in the API's JSON shape (snake_case, UTC with Z), which is
// also the `task_data` of every event.
import type { TaskRow } from "../db/schema.ts";
import { PRIORITIES, type Task } from "@todo/shared";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    user_id: row.userId,
    title: row.title,
    description: row.description,
    priority: PRIORITIES[row.priority] ?? "medium",
    tags: row.tags,
    completed: row.completed,
    completed_at: iso(row.completedAt),
    due_at: iso(row.dueAt),
    remind_at: iso(row.remindAt),
    recurrence:
      row.recurrenceRule && row.recurrenceTimezone
        ? { rule: row.recurrenceRule, timezone: row.recurrenceTimezone }
        : null,
    series_id: row.seriesId,
    occurrence: row.occurrence,
    series_anchor_at: iso(row.seriesAnchorAt),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
