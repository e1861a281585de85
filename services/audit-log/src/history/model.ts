// A stored event as one item of a history page. The query todo-api sends
// and the page it gets back are @todo/shared's contracts (HistoryQuery,
// HistoryPage).
import type { HistoryItem } from "@todo/shared";
import type { AuditEventRow } from "../db/schema.ts";

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
