// notification's tables (database `notification`): the in-app feed, one email
// delivery per notification with every attempt, and the events handled.
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const utc = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

export const processedEvents = pgTable(
  "processed_events",
  {
    consumer: text("consumer").notNull(),
    eventId: text("event_id").notNull(),
    processedAt: utc("processed_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.consumer, t.eventId] })],
);

/** One per (task, remind_at): a reminder delivered twice is still one notification. */
export const notifications = pgTable(
  "notifications",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: text("user_id").notNull(),
    taskId: bigint("task_id", { mode: "number" }).notNull(),
    title: text("title").notNull(),
    dueAt: utc("due_at").notNull(),
    remindAt: utc("remind_at").notNull(),
    createdAt: utc("created_at").notNull().defaultNow(),
    readAt: utc("read_at"),
  },
  (t) => [
    uniqueIndex("notifications_task_remind_idx").on(t.taskId, t.remindAt),
    index("notifications_user_idx").on(t.userId, t.id),
  ],
);

/** pending -> sent | failed | no_address. Claimed by a dispatcher with a lease, so replicas never send it twice at once. */
export const emailDeliveries = pgTable(
  "email_deliveries",
  {
    notificationId: bigint("notification_id", { mode: "number" })
      .primaryKey()
      .references(() => notifications.id, { onDelete: "cascade" }),
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: utc("next_attempt_at").notNull().defaultNow(),
    leaseUntil: utc("lease_until"),
    recipient: text("recipient"),
    sentAt: utc("sent_at"),
    lastError: text("last_error"),
  },
  (t) => [index("email_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`)],
);

export const emailAttempts = pgTable(
  "email_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    notificationId: bigint("notification_id", { mode: "number" })
      .notNull()
      .references(() => notifications.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    at: utc("at").notNull().defaultNow(),
    /** sent | failed */
    outcome: text("outcome").notNull(),
    recipient: text("recipient"),
    error: text("error"),
  },
  (t) => [index("email_attempts_notification_idx").on(t.notificationId, t.attempt)],
);

export type NotificationRow = typeof notifications.$inferSelect;
export type DeliveryRow = typeof emailDeliveries.$inferSelect;
export const schema = { processedEvents, notifications, emailDeliveries, emailAttempts };
