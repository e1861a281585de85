// The messages one task change sends out, as outbox rows written in the same
// transaction: task-events (for recurring and audit-log) and task-updates
// (for ws-sync). The reminder job the change may need is reminders/jobs.ts.
import { TOPICS, type Task, type TaskEvent, type TaskUpdate } from "@todo/shared";
import { randomUUID } from "node:crypto";
import type { NewOutboxRow } from "../db/schema.ts";

export type ChangeKind = TaskEvent["event_type"];

const OPERATION: Record<ChangeKind, TaskUpdate["operation"]> = {
  created: "create",
  updated: "update",
  completed: "complete",
  reopened: "reopen",
  deleted: "delete",
};

/** The events of one change, in the order consumers should see them. */
export function eventRows(kind: ChangeKind, task: Task, at: Date): NewOutboxRow[] {
  const timestamp = at.toISOString();
  const event: TaskEvent = { event_type: kind, task_id: task.id, task_data: task, user_id: task.user_id, timestamp };
  const update: TaskUpdate = {
    operation: OPERATION[kind],
    task_id: task.id,
    task_data: task,
    user_id: task.user_id,
    timestamp,
  };
  return [publishRow(TOPICS.taskEvents, task.user_id, event), publishRow(TOPICS.taskUpdates, task.user_id, update)];
}

function publishRow(topic: string, userId: string, payload: unknown): NewOutboxRow {
  return { kind: "publish", eventId: randomUUID(), target: topic, userId, payload };
}
