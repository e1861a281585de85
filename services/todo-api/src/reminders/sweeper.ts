// A safety net under the Dapr Scheduler: a reminder still owed a grace
// period after its time is sent from here. The fault suite once saw the
// Scheduler drop a one-shot job that fell due while todo-api was restarting
// (no failure, no retry, no trace in daprd's log); and while the Scheduler
// is down, reminders that fall due are sent from here, not held back.
//
// What is owed is the task's reminder_pending_at: set when a reminder job is
// wanted, cleared when the task stops wanting it (completed, moved, removed)
// and when the reminder is sent (the job fired, or this sweep). So a reminder
// whose job was deleted is never swept, however far ahead it was set. Each
// user's owed reminders are taken under the user's lock and cleared in the
// same transaction that writes their events, so replicas sweeping side by
// side, and a job firing meanwhile, send one event; the event id, fixed by
// (task, remind_at), would stop a second one anyway.
import type { Logger } from "@todo/shared";
import { and, eq, inArray, lte } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { lockUser } from "../db/locks.ts";
import { outbox, tasks } from "../db/schema.ts";
import { reminderEventRow } from "./event.ts";

/** Users per look; a full one looks again at once. */
const BATCH = 200;

export interface SweeperOptions {
  db: Database;
  log: Logger;
  onCommit: () => void;
  /** How often to look. */
  everyMs: number;
  /** How long after remind_at a job may still fire on its own (the Scheduler retries failed ones for a minute). */
  graceMs: number;
}

export class ReminderSweeper {
  private timer: Timer | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly o: SweeperOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.sweep(), this.o.everyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One look; how many reminders it sent. Never throws (the next tick tries again). */
  sweep(): Promise<number> {
    this.running ??= this.once()
      .catch((err) => {
        this.o.log.warn("reminder sweep failed; trying again on the next tick", {
          error: err instanceof Error ? err.message : String(err),
        });
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async once(): Promise<number> {
    const upTo = new Date(Date.now() - this.o.graceMs);
    const users = await this.o.db
      .selectDistinct({ userId: tasks.userId })
      .from(tasks)
      .where(lte(tasks.reminderPendingAt, upTo))
      .limit(BATCH);
    let sent = 0;
    for (const { userId } of users) sent += await this.sendOwed(userId, upTo);
    if (sent) this.o.onCommit();
    return users.length < BATCH ? sent : sent + (await this.once());
  }

  /** One user's reminders owed since before `upTo`: sent, and no longer owed. */
  private async sendOwed(userId: string, upTo: Date): Promise<number> {
    const inserted = await this.o.db.transaction(async (tx) => {
      await lockUser(tx, userId);
      const owed = await tx
        .select()
        .from(tasks)
        .where(and(eq(tasks.userId, userId), lte(tasks.reminderPendingAt, upTo)));
      if (!owed.length) return []; // another replica, or the job, was first
      await tx
        .update(tasks)
        .set({ reminderPendingAt: null })
        .where(
          inArray(
            tasks.id,
            owed.map((row) => row.id),
          ),
        );
      // A changed task clears or moves its pending reminder in the same transaction; this guards the rule, not a known case.
      const wanted = owed.filter(
        (row) => !row.completed && row.remindAt?.getTime() === row.reminderPendingAt?.getTime(),
      );
      if (!wanted.length) return [];
      return tx
        .insert(outbox)
        .values(wanted.map(reminderEventRow))
        .onConflictDoNothing()
        .returning({ payload: outbox.payload });
    });
    for (const row of inserted) {
      const reminder = row.payload as { task_id: number; remind_at: string };
      this.o.log.warn("reminder job never fired; sent by the sweeper", {
        task_id: reminder.task_id,
        remind_at: reminder.remind_at,
        user_id: userId,
      });
    }
    return inserted.length;
  }
}
