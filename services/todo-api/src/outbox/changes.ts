// What one task change must send out, as outbox rows written in the same
// transaction: the task-events and task-updates messages, and the reminder
// job to (re)schedule or delete.
import { TOPICS, type Reminder, type Task, type TaskEvent, type TaskUpdate } from "@todo/shared";
import { randomUUID } from "node:crypto";
import { v5 as uuidv5 } from "uuid";
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

export const reminderJobName = (taskId: number) => `reminder-${taskId}`;

/** What the Scheduler hands back to POST /job/reminder-<id> when the job fires. */
export interface ReminderJobData {
  task_id: number;
  remind_at: string;
  user_id: string;
}

/**
 * The reminder job a task needs after a change: scheduled while the task is
 * open with a future remind_at, deleted otherwise (if it may have had one).
 * `pendingAt` is what the task's reminder_pending_at becomes: the remind_at
 * whose job is now wanted, null when none is, undefined when nothing changes
 * (the job already scheduled, or already fired, stays as it is).
 */
export function reminderRows(
  task: Task,
  previous: Task | null,
  now: Date,
): { rows: NewOutboxRow[]; pendingAt?: string | null } {
  const name = reminderJobName(task.id);
  const wanted = !task.completed && task.remind_at !== null && new Date(task.remind_at) > now;
  if (wanted) {
    if (previous && !previous.completed && previous.remind_at === task.remind_at) return { rows: [] }; // already scheduled
    const data: ReminderJobData = { task_id: task.id, remind_at: task.remind_at!, user_id: task.user_id };
    const schedule: NewOutboxRow = {
      kind: "schedule_job",
      eventId: randomUUID(),
      target: name,
      userId: task.user_id,
      payload: {
        dueTime: task.remind_at,
        data,
        overwrite: true,
        // Durations in seconds: the Jobs API rejects "ms" units here.
        failurePolicy: { constant: { interval: "5s", maxRetries: 12 } },
      },
    };
    return { rows: [schedule], pendingAt: task.remind_at };
  }
  const mayHaveJob = previous ? previous.remind_at !== null : false;
  return { rows: mayHaveJob ? [deleteJobRow(task.id, task.user_id)] : [], pendingAt: null };
}

export function deleteJobRow(taskId: number, userId: string): NewOutboxRow {
  return { kind: "delete_job", eventId: randomUUID(), target: reminderJobName(taskId), userId, payload: {} };
}

// A fixed namespace: the same (task, remind_at) always yields the same event
// id, so a job that fires twice produces one reminder downstream.
const REMINDER_NAMESPACE = "6f1d1f5e-3a0b-4c55-9a7e-2f4b8c1d9e10";

export function reminderRow(task: Task): NewOutboxRow {
  const reminder: Reminder = {
    task_id: task.id,
    title: task.title,
    // A reminder on an undated task is due when it reminds.
    due_at: task.due_at ?? task.remind_at!,
    remind_at: task.remind_at!,
    user_id: task.user_id,
  };
  return {
    kind: "publish",
    eventId: uuidv5(`${task.id}|${task.remind_at}`, REMINDER_NAMESPACE),
    target: TOPICS.reminders,
    userId: task.user_id,
    payload: reminder,
  };
}

function publishRow(topic: string, userId: string, payload: unknown): NewOutboxRow {
  return { kind: "publish", eventId: randomUUID(), target: topic, userId, payload };
}
