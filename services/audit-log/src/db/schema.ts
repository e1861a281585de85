// audit-log's one table (database `audit`): every task-events message, once.
// Append-only: the role the service writes with may only INSERT and SELECT
// (see drizzle/0001_append_only_role.sql).
import type { TaskData } from "@todo/shared";
import { bigint, bigserial, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// Millisecond precision, as JavaScript dates have: a cursor built from a value
// read back must compare equal to the stored one.
const utc = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** The CloudEvent id: redelivery of the same message finds it taken. Text, not uuid: any producer's id is kept. */
    eventId: text("event_id").notNull().unique(),
    eventType: text("event_type").notNull(),
    taskId: bigint("task_id", { mode: "number" }).notNull(),
    userId: text("user_id").notNull(),
    /** When the change happened (the payload's timestamp). */
    eventTime: utc("event_time").notNull(),
    /** When this service stored it. */
    receivedAt: utc("received_at").notNull().defaultNow(),
    /** Checked against the contract when the event arrived (shared/src/subscription.ts). */
    taskData: jsonb("task_data").$type<TaskData>().notNull(),
    /** The CloudEvent source: the publishing app id. */
    source: text("source"),
  },
  // History is read per task or per user, in event-time order, id breaking ties.
  (t) => [
    index("audit_events_task_idx").on(t.taskId, t.eventTime, t.id),
    index("audit_events_user_idx").on(t.userId, t.eventTime, t.id),
  ],
);

export type AuditEventRow = typeof auditEvents.$inferSelect;
export const schema = { auditEvents };
