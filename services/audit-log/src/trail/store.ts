// The audit trail in Postgres: append an event once, read pages of it back.
// Idempotency lives in the table itself: the event id is unique, and a
// redelivered message's insert does nothing. A batch of events is one
// INSERT, so a bulk delivery costs one round trip however many it carries.
import type { TaskData } from "@todo/shared";
import { and, asc, eq, gte, lt, sql as raw, type SQL } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { auditEvents, type AuditEventRow } from "../db/schema.ts";

export interface NewAuditEvent {
  eventId: string;
  eventType: string;
  taskId: number;
  userId: string;
  eventTime: Date;
  taskData: TaskData;
  source: string | null;
}

export interface TrailQuery {
  userId: string;
  taskId?: number;
  /** Inclusive lower bound on event time. */
  since?: Date;
  /** Exclusive upper bound on event time. */
  until?: Date;
  /** Read strictly after this (event time, row id). */
  after?: { time: Date; id: number };
  limit: number;
}

/** The audit trail in Postgres. */
export class AuditTrail {
  constructor(private readonly db: Database) {}

  /** Stores the events not stored yet; returns the ids it stored (a redelivered or repeated id is not among them). */
  async appendAll(events: NewAuditEvent[]): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const inserted = await this.db
      .insert(auditEvents)
      .values(events)
      .onConflictDoNothing({ target: auditEvents.eventId })
      .returning({ eventId: auditEvents.eventId });
    return new Set(inserted.map((row) => row.eventId));
  }

  /** Up to `limit` events in event-time order. */
  read(q: TrailQuery): Promise<AuditEventRow[]> {
    // Always the caller's own rows: a task id alone never reads another user's trail.
    const where: (SQL | undefined)[] = [eq(auditEvents.userId, q.userId)];
    if (q.taskId !== undefined) where.push(eq(auditEvents.taskId, q.taskId));
    if (q.since) where.push(gte(auditEvents.eventTime, q.since));
    if (q.until) where.push(lt(auditEvents.eventTime, q.until));
    if (q.after)
      where.push(
        raw`(${auditEvents.eventTime}, ${auditEvents.id}) > (${q.after.time.toISOString()}::timestamptz, ${q.after.id})`,
      );
    return this.db
      .select()
      .from(auditEvents)
      .where(and(...where))
      .orderBy(asc(auditEvents.eventTime), asc(auditEvents.id))
      .limit(q.limit);
  }
}
