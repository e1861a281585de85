// todo-api's tables (database `todo`): users, tasks and the outbox.
import { currentTraceparent } from "@todo/shared";
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });
// Millisecond precision, as JavaScript dates have: cursors built from a value read
// back must compare equal to the stored one.
const utc = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

/** Contact details from the JWT, upserted on authenticated requests so other services can look them up. */
export const users = pgTable("users", {
  id: text("id").primaryKey(),
  email: text("email"),
  name: text("name"),
  updatedAt: utc("updated_at").notNull().defaultNow(),
});

export const tasks = pgTable(
  "tasks",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: text("user_id").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    // 0 low, 1 medium, 2 high: sorts by urgency with a plain index.
    priority: smallint("priority").notNull().default(1),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    completed: boolean("completed").notNull().default(false),
    completedAt: utc("completed_at"),
    dueAt: utc("due_at"),
    remindAt: utc("remind_at"),
    // The remind_at whose reminder job is wanted and has not fired yet; null
    // once it fired (or the sweeper sent it), or when no job is wanted. Set in
    // the same transaction as the job's outbox row, so the reminder sweeper
    // never needs the outbox (pruned after a day) to know what is still owed.
    reminderPendingAt: utc("reminder_pending_at"),
    recurrenceRule: text("recurrence_rule"),
    recurrenceTimezone: text("recurrence_timezone"),
    seriesId: uuid("series_id"),
    occurrence: integer("occurrence"),
    /** The due time the series' occurrences are computed from (its DTSTART); see TaskSeries in @todo/shared. */
    seriesAnchorAt: utc("series_anchor_at"),
    createdAt: utc("created_at").notNull().defaultNow(),
    updatedAt: utc("updated_at").notNull().defaultNow(),
    search: tsvector("search")
      .notNull()
      .generatedAlwaysAs(sql`to_tsvector('english', coalesce(title, '') || ' ' || coalesce(description, ''))`),
  },
  (t) => [
    index("tasks_user_created_idx").on(t.userId, t.createdAt, t.id),
    index("tasks_user_due_idx").on(t.userId, t.dueAt, t.id),
    index("tasks_user_priority_idx").on(t.userId, t.priority, t.id),
    index("tasks_user_title_idx").on(t.userId, sql`lower(${t.title})`, t.id),
    index("tasks_tags_idx").using("gin", t.tags),
    index("tasks_search_idx").using("gin", t.search),
    // The reminder sweeper's scan: reminders still owed, oldest first.
    index("tasks_reminder_pending_idx").on(t.reminderPendingAt).where(sql`${t.reminderPendingAt} is not null`),
    // Creating the next occurrence of a series is idempotent on this pair.
    uniqueIndex("tasks_series_occurrence_idx").on(t.seriesId, t.occurrence),
    check("tasks_priority_check", sql`${t.priority} between 0 and 2`),
    check("tasks_recurrence_check", sql`(${t.recurrenceRule} is null) = (${t.recurrenceTimezone} is null)`),
  ],
);

/**
 * What must happen outside the database after a commit: publishing an event,
 * or scheduling / deleting a reminder job. Written in the business
 * transaction; the relay carries each row out and marks it done.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** publish | schedule_job | delete_job */
    kind: text("kind").notNull(),
    /** The CloudEvent id (publish) — fixed here, reused on every retry. */
    eventId: uuid("event_id").notNull().unique(),
    /** Topic (publish) or job name (jobs). */
    target: text("target").notNull(),
    /** Kafka message key; also the unit of ordering. */
    userId: text("user_id").notNull(),
    payload: jsonb("payload").notNull(),
    createdAt: utc("created_at").notNull().defaultNow(),
    publishedAt: utc("published_at"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** A failed row is not tried again before this (its own back-off); nor are the rows behind it in its lane. */
    nextAttemptAt: utc("next_attempt_at").notNull().defaultNow(),
    /**
     * The W3C trace context of the write that stored the row, taken from the
     * current span on insert, so a publish seconds later, or after a restart,
     * joins the request's trace. Null when nothing was traced (a sweep).
     */
    traceparent: text("traceparent").$defaultFn(() => currentTraceparent() ?? sql`null`),
  },
  (t) => [
    index("outbox_pending_idx").on(t.id).where(sql`${t.publishedAt} is null`),
    index("outbox_published_idx").on(t.publishedAt),
    // A lane is one user's rows of one target (topic or job): the relay's
    // "is an earlier row of this lane still waiting" look-up.
    index("outbox_pending_lane_idx").on(t.target, t.userId, t.id).where(sql`${t.publishedAt} is null`),
  ],
);

export type TaskRow = typeof tasks.$inferSelect;
export type OutboxRow = typeof outbox.$inferSelect;
export type NewOutboxRow = typeof outbox.$inferInsert;
export const schema = { users, tasks, outbox };
