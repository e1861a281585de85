// A safety net under the Dapr Scheduler: reminders whose time passed a grace
// period ago without their job ever firing are sent from here. The fault
// suite once saw the Scheduler drop a one-shot job that fell due while
// todo-api was restarting (no failure, no retry, no trace in daprd's log).
// The reminder's event id is fixed by (task, remind_at), so a late job, a
// second replica's sweep and this one can all try: one event goes out.
import type { Logger } from "@todo/shared";
import { and, eq, gt, inArray, isNotNull, lte, not, or } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { outbox, tasks, type TaskRow } from "../db/schema.ts";
import { reminderJobName, reminderRow } from "../outbox/changes.ts";
import { toTask } from "../tasks/serialize.ts";

const BATCH = 500;

export interface SweeperOptions {
  db: Database;
  log: Logger;
  onCommit: () => void;
  /** How often to look. */
  everyMs: number;
  /** How long after remind_at a job may still fire on its own (the Scheduler retries failed ones for a minute). */
  graceMs: number;
  /** How far back to look; within the outbox's retention, which holds the proof a reminder went out. */
  lookbackMs: number;
}

export class ReminderSweeper {
  private timer: Timer | undefined;
  private running: Promise<number> | undefined;
  private cursor: { at: Date; id: number } | undefined;

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
        this.o.log.warn("reminder sweep failed; trying again on the next tick", { error: err instanceof Error ? err.message : String(err) });
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /**
   * Each reminder is looked at once, when it is `graceMs` old: the scan moves
   * forward through (remind_at, id) from where the last one stopped, so fired
   * reminders are not read again and again. It starts `lookbackMs` back,
   * which covers reminders that fell due while this replica was down.
   */
  private async once(): Promise<number> {
    const upTo = new Date(Date.now() - this.o.graceMs);
    const after = this.cursor ?? { at: new Date(Date.now() - this.o.lookbackMs), id: 0 };
    const due = await this.o.db
      .select()
      .from(tasks)
      .where(
        and(
          not(tasks.completed),
          isNotNull(tasks.remindAt),
          lte(tasks.remindAt, upTo),
          or(gt(tasks.remindAt, after.at), and(eq(tasks.remindAt, after.at), gt(tasks.id, after.id))),
        ),
      )
      .orderBy(tasks.remindAt, tasks.id)
      .limit(BATCH);
    const last = due.at(-1);
    const sent = await this.sendMissing(due);
    // Moved on only once the batch is handled: a failed sweep looks at the same reminders again.
    this.cursor = due.length < BATCH || !last ? { at: upTo, id: Number.MAX_SAFE_INTEGER } : { at: last.remindAt!, id: last.id };
    return due.length < BATCH ? sent : sent + (await this.once());
  }

  private async sendMissing(due: TaskRow[]): Promise<number> {
    if (!due.length) return 0;
    // Only reminders that had a job: a remind_at already past when it was set never had one, and never reminds.
    const scheduled = new Set(
      (
        await this.o.db
          .select({ target: outbox.target, payload: outbox.payload })
          .from(outbox)
          .where(and(eq(outbox.kind, "schedule_job"), inArray(outbox.target, due.map((row) => reminderJobName(row.id)))))
      ).map((r) => `${r.target}|${(r.payload as { dueTime?: string }).dueTime}`),
    );
    const wanted = due
      .map((row) => toTask(row))
      .filter((task) => scheduled.has(`${reminderJobName(task.id)}|${task.remind_at}`))
      .map((task) => reminderRow(task));
    if (!wanted.length) return 0;
    // The event id is fixed by (task, remind_at): a reminder already sent conflicts and is skipped.
    const inserted = await this.o.db.insert(outbox).values(wanted).onConflictDoNothing().returning({ payload: outbox.payload, userId: outbox.userId });
    for (const row of inserted) {
      const reminder = row.payload as { task_id: number; remind_at: string };
      this.o.log.warn("reminder job never fired; sent by the sweeper", { task_id: reminder.task_id, remind_at: reminder.remind_at, user_id: row.userId });
    }
    if (inserted.length) this.o.onCommit();
    return inserted.length;
  }
}
