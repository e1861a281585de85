// A task's reminder job: the outbox rows that schedule or delete it, written
// in the same transaction as the task change that wants them, and the
// task's reminder_pending_at, which records which reminder is now owed (the
// sweeper's look-up, sweeper.ts). Works on stored rows, so tasks/ calls in
// here and nothing here needs tasks/.
import { t, type Static } from "elysia";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Tx } from "../db/locks.ts";
import { tasks, type NewOutboxRow, type TaskRow } from "../db/schema.ts";

export const reminderJobName = (taskId: number) => `reminder-${taskId}`;

/** What the Scheduler hands back to POST /job/reminder-<id> when the job fires. */
export const ReminderJobData = t.Object({
  task_id: t.Integer({ minimum: 1 }),
  remind_at: t.String(),
  user_id: t.String(),
  /** The relay's span that scheduled the job: the reminder continues the trace of the write that set it. */
  traceparent: t.Optional(t.String()),
});
export type ReminderJobData = Static<typeof ReminderJobData>;

/**
 * The reminder job a task needs after a change: scheduled while the task is
 * open with a future remind_at, deleted otherwise (if it may have had one).
 * `pendingAt` is what the task's reminder_pending_at becomes: the remind_at
 * whose job is now wanted, null when none is, undefined when nothing changes
 * (the job already scheduled, or already fired, stays as it is).
 */
export function reminderJobRows(
  task: TaskRow,
  previous: TaskRow | null,
  now: Date,
): { rows: NewOutboxRow[]; pendingAt?: Date | null } {
  const remindAt = task.remindAt;
  if (!task.completed && remindAt !== null && remindAt > now) {
    if (previous && !previous.completed && previous.remindAt?.getTime() === remindAt.getTime()) return { rows: [] }; // already scheduled
    const data: ReminderJobData = { task_id: task.id, remind_at: remindAt.toISOString(), user_id: task.userId };
    const schedule: NewOutboxRow = {
      kind: "schedule_job",
      eventId: randomUUID(),
      target: reminderJobName(task.id),
      userId: task.userId,
      payload: {
        dueTime: data.remind_at,
        data,
        overwrite: true,
        // Durations in seconds: the Jobs API rejects "ms" units here.
        failurePolicy: { constant: { interval: "5s", maxRetries: 12 } },
      },
    };
    return { rows: [schedule], pendingAt: remindAt };
  }
  const mayHaveJob = previous ? previous.remindAt !== null : false;
  return { rows: mayHaveJob ? [deleteJobRow(task)] : [], pendingAt: null };
}

/**
 * The job rows a stored task needs after a change (`previous` is the row
 * before it, null for a new task), recording in the task which reminder is
 * now owed.
 */
export async function rescheduleReminder(
  tx: Tx,
  task: TaskRow,
  previous: TaskRow | null,
  now: Date,
): Promise<NewOutboxRow[]> {
  const { rows, pendingAt } = reminderJobRows(task, previous, now);
  const next = pendingAt === undefined ? task.reminderPendingAt : pendingAt;
  if (next?.getTime() !== task.reminderPendingAt?.getTime())
    await tx.update(tasks).set({ reminderPendingAt: next }).where(eq(tasks.id, task.id));
  return rows;
}

/** The rows a deleted task needs: its job deleted, if it may have had one. */
export function cancelReminder(task: TaskRow): NewOutboxRow[] {
  return task.remindAt ? [deleteJobRow(task)] : [];
}

function deleteJobRow(task: TaskRow): NewOutboxRow {
  return {
    kind: "delete_job",
    eventId: randomUUID(),
    target: reminderJobName(task.id),
    userId: task.userId,
    payload: {},
  };
}

/** A new task's row before the reminder it owes is known (that column is reminders/' to set). */
export type UnstoredTask = Omit<TaskRow, "reminderPendingAt">;

/**
 * For a task not stored yet (tasks/create.ts writes the row and its outbox
 * rows in one statement): the job rows it needs, the row with the reminder
 * it owes recorded, and that owed remind_at for the insert — what
 * rescheduleReminder would update after a separate insert.
 */
export function withNewTaskReminder(
  draft: UnstoredTask,
  now: Date,
): { task: TaskRow; rows: NewOutboxRow[]; owedAt: Date | null } {
  const task: TaskRow = { ...draft, reminderPendingAt: null };
  const { rows, pendingAt } = reminderJobRows(task, null, now);
  const owedAt = pendingAt ?? null;
  return { task: { ...task, reminderPendingAt: owedAt }, rows, owedAt };
}
