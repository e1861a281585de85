// The history query todo-api sends through Dapr invocation, and one page of answers.
import { t } from "elysia";
import type { AuditEventRow } from "../db/schema.ts";

// Ranges are checked in service.ts: Elysia loses the field name of a range
// error on a coerced query number.
export const HistoryQuery = t.Object({
  user_id: t.String({ minLength: 1, maxLength: 255 }),
  task_id: t.Optional(t.Integer({ description: "only this task's events" })),
  cursor: t.Optional(t.String({ maxLength: 500 })),
  limit: t.Optional(t.Integer({ description: "1 to 100, default 50" })),
  since: t.Optional(t.String({ description: "ISO 8601; events at or after it" })),
  until: t.Optional(t.String({ description: "ISO 8601; events before it" })),
});
export type HistoryQuery = typeof HistoryQuery.static;

export interface HistoryItem {
  event_id: string;
  event_type: string;
  task_id: number;
  /** When the change happened. */
  timestamp: string;
  /** When audit-log stored it. */
  received_at: string;
  /** The task after the change (before it, for `deleted`). */
  task_data: unknown;
  source: string | null;
}

export interface HistoryPage {
  items: HistoryItem[];
  next_cursor: string | null;
}

export function toItem(row: AuditEventRow): HistoryItem {
  return {
    event_id: row.eventId,
    event_type: row.eventType,
    task_id: row.taskId,
    timestamp: row.eventTime.toISOString(),
    received_at: row.receivedAt.toISOString(),
    task_data: row.taskData,
    source: row.source,
  };
}
