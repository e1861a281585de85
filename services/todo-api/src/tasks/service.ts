// Task use cases for one calling user. Each change runs in one transaction
// that writes the task and its outbox rows; after the commit the relay is
// kicked. Nothing here sees HTTP.
import { AppError, conflict, notFound } from "@todo/shared";
import { and, eq } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import type { Database } from "../db/client.ts";
import { lockUser, type Tx } from "../db/locks.ts";
import { outbox, tasks, type NewOutboxRow, type TaskRow } from "../db/schema.ts";
import { cancelReminder, rescheduleReminder } from "../reminders/jobs.ts";
import { eventRows, type ChangeKind } from "./events.ts";
import { listTasks } from "./listing.ts";
import type { Task } from "@todo/shared";
import type { TaskQuery } from "./model.ts";
import { toTask } from "./serialize.ts";
import { applyChanges, type Occurrence, type TaskChanges, type TaskFields } from "./validate.ts";

export interface TaskServiceDeps {
  db: Database;
  /** Wakes the outbox relay after a commit. */
  onCommit: () => void;
  now?: () => Date;
}

export class TaskService {
  private readonly now: () => Date;

  constructor(private readonly deps: TaskServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Creates a task from fields validateTaskCreate checked. */
  async create(userId: string, fields: TaskFields): Promise<Task> {
    const series = fields.recurrenceRule ? { seriesId: randomUUID(), occurrence: 1 } : {};
    return this.change(userId, async (tx, now) => {
      const [row] = await tx
        .insert(tasks)
        .values({ userId, ...fields, ...series, createdAt: now, updatedAt: now })
        .returning();
      const task = toTask(row!);
      return { task, rows: [...eventRows("created", task, now), ...(await rescheduleReminder(tx, row!, null, now))] };
    });
  }

  async get(userId: string, id: number): Promise<Task> {
    return toTask(await this.find(this.deps.db, userId, id));
  }

  /**
   * Whether the user has this task now. Only "not found" is a no: a database
   * that cannot answer is an error, never a task that does not exist.
   */
  async exists(userId: string, id: number): Promise<boolean> {
    try {
      await this.find(this.deps.db, userId, id);
      return true;
    } catch (err) {
      if (err instanceof AppError && err.status === 404) return false;
      throw err;
    }
  }

  list(userId: string, query: TaskQuery) {
    return listTasks(this.deps.db, userId, query);
  }

  /** Applies changes validateTaskPatch checked; applyChanges checks what needs the stored task. */
  async update(userId: string, id: number, changes: TaskChanges): Promise<Task> {
    return this.change(userId, async (tx, now) => {
      const current = await this.find(tx, userId, id, true);
      const fields = applyChanges(current, changes);
      const series = fields.recurrenceRule && !current.seriesId ? { seriesId: randomUUID(), occurrence: 1 } : {};
      return this.save(tx, "updated", current, { ...fields, ...series }, now);
    });
  }

  async complete(userId: string, id: number): Promise<Task> {
    return this.change(userId, async (tx, now) => {
      const current = await this.find(tx, userId, id, true);
      if (current.completed) throw conflict("The task is already completed");
      return this.save(tx, "completed", current, { completed: true, completedAt: now }, now);
    });
  }

  async reopen(userId: string, id: number): Promise<Task> {
    return this.change(userId, async (tx, now) => {
      const current = await this.find(tx, userId, id, true);
      if (!current.completed) throw conflict("The task is not completed");
      return this.save(tx, "reopened", current, { completed: false, completedAt: null }, now);
    });
  }

  async remove(userId: string, id: number): Promise<void> {
    await this.change(userId, async (tx, now) => {
      const current = await this.find(tx, userId, id, true);
      await tx.delete(tasks).where(eq(tasks.id, id));
      const task = toTask(current);
      return { task, rows: [...eventRows("deleted", task, now), ...cancelReminder(current)] };
    });
  }

  /**
   * Creates occurrence N of a series once: a repeated call (recurring
   * redelivered its event) returns the existing task and emits nothing.
   */
  async createOccurrence({
    userId,
    seriesId,
    occurrence,
    fields,
  }: Occurrence): Promise<{ task: Task; created: boolean }> {
    let created = true;
    const task = await this.change(userId, async (tx, now) => {
      const [row] = await tx
        .insert(tasks)
        .values({ userId, ...fields, seriesId, occurrence, createdAt: now, updatedAt: now })
        .onConflictDoNothing({ target: [tasks.seriesId, tasks.occurrence] })
        .returning();
      if (!row) {
        created = false;
        const [existing] = await tx
          .select()
          .from(tasks)
          .where(and(eq(tasks.seriesId, seriesId), eq(tasks.occurrence, occurrence)));
        if (!existing) throw conflict("The occurrence was deleted"); // created once, then deleted by its owner
        if (existing.userId !== userId) throw notFound("Series not found");
        return { task: toTask(existing), rows: [] };
      }
      const task = toTask(row);
      return { task, rows: [...eventRows("created", task, now), ...(await rescheduleReminder(tx, row, null, now))] };
    });
    return { task, created };
  }

  private async save(tx: Tx, kind: ChangeKind, current: TaskRow, changes: Partial<TaskRow>, now: Date) {
    const [row] = await tx
      .update(tasks)
      .set({ ...changes, updatedAt: now })
      .where(eq(tasks.id, current.id))
      .returning();
    const task = toTask(row!);
    return { task, rows: [...eventRows(kind, task, now), ...(await rescheduleReminder(tx, row!, current, now))] };
  }

  private async find(db: Database | Tx, userId: string, id: number, forUpdate = false): Promise<TaskRow> {
    if (!Number.isSafeInteger(id) || id < 1) throw notFound("Task not found");
    const query = db
      .select()
      .from(tasks)
      .where(and(eq(tasks.id, id), eq(tasks.userId, userId)));
    const [row] = forUpdate ? await query.for("update") : await query;
    if (!row) throw notFound("Task not found");
    return row;
  }

  /**
   * Runs one change for a user, under the user's lock (see lockUser: outbox
   * ids then follow commit order within a user, the order the relay keeps).
   */
  private async change<T extends { task: Task; rows: NewOutboxRow[] }>(
    userId: string,
    work: (tx: Tx, now: Date) => Promise<T>,
  ): Promise<Task> {
    const result = await this.deps.db.transaction(async (tx) => {
      await lockUser(tx, userId);
      const out = await work(tx, this.now());
      if (out.rows.length) await tx.insert(outbox).values(out.rows);
      return out;
    });
    if (result.rows.length) this.deps.onCommit();
    return result.task;
  }
}
