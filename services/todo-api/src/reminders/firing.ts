// The Scheduler fired a task's reminder job (routes.ts is its callback).
import { and, eq, not } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { lockUser } from "../db/locks.ts";
import { outbox, tasks } from "../db/schema.ts";
import { reminderEventRow } from "./event.ts";
import type { ReminderJobData } from "./jobs.ts";

export interface FiringDeps {
  db: Database;
  /** Wakes the outbox relay after a commit. */
  onCommit: () => void;
}

/**
 * Writes one `reminders` event, only if the task still owes this very
 * reminder (open, remind_at unchanged, not already sent by an earlier firing
 * or by the sweeper).
 */
export async function fireReminder(deps: FiringDeps, job: ReminderJobData): Promise<"sent" | "stale"> {
  const remindAt = new Date(job.remind_at);
  if (Number.isNaN(remindAt.getTime())) return "stale";
  const sent = await deps.db.transaction(async (tx) => {
    await lockUser(tx, job.user_id);
    const [row] = await tx
      .update(tasks)
      .set({ reminderPendingAt: null })
      .where(
        and(
          eq(tasks.id, job.task_id),
          eq(tasks.userId, job.user_id),
          eq(tasks.reminderPendingAt, remindAt),
          eq(tasks.remindAt, remindAt),
          not(tasks.completed),
        ),
      )
      .returning();
    if (!row) return false;
    await tx.insert(outbox).values(reminderEventRow(row)).onConflictDoNothing();
    return true;
  });
  if (sent) deps.onCommit();
  return sent ? "sent" : "stale";
}
