// History pages: the caller's events, oldest first, by keyset pagination on
// (event time, row id), so events stored while a client pages are neither
// skipped nor repeated.
import { invalid, type HistoryPage, type HistoryQuery } from "@todo/shared";
import type { AuditTrail, TrailQuery } from "../trail/store.ts";
import { toItem } from "./model.ts";

const DEFAULT_LIMIT = 50;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

interface Cursor {
  t: string;
  i: number;
}

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString("base64url");

export function decodeCursor(raw: string): { time: Date; id: number } | null {
  try {
    const c = JSON.parse(Buffer.from(raw, "base64url").toString()) as Cursor;
    const time = new Date(c.t);
    if (typeof c.t === "string" && !Number.isNaN(time.getTime()) && Number.isSafeInteger(c.i)) return { time, id: c.i };
  } catch {
    // not ours
  }
  return null;
}

function instant(value: string | undefined): Date | null | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  return ISO.test(value) && !Number.isNaN(date.getTime()) ? date : null;
}

export async function historyPage(trail: AuditTrail, q: HistoryQuery): Promise<HistoryPage> {
  const query = trailQuery(q);
  const limit = query.limit;
  // One row past the page: if it comes back, there is a next page.
  const rows = await trail.read({ ...query, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toItem),
    next_cursor: rows.length > limit && last ? encodeCursor({ t: last.eventTime.toISOString(), i: last.id }) : null,
  };
}

/**
 * The trail's query for one page of a history query, or a 422 naming every
 * parameter out of range (Elysia workaround 3: the schema cannot name them).
 */
export function trailQuery(q: HistoryQuery): TrailQuery {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const since = instant(q.since);
  const until = instant(q.until);
  const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
  const bad: Record<string, string> = {};
  if (limit < 1 || limit > 100) bad.limit = "must be from 1 to 100";
  if (q.task_id !== undefined && !(Number.isSafeInteger(q.task_id) && q.task_id >= 1))
    bad.task_id = "must be a positive integer";
  if (since === null) bad.since = "is not an ISO 8601 date-time with a time zone";
  if (until === null) bad.until = "is not an ISO 8601 date-time with a time zone";
  if (after === null) bad.cursor = "is not a cursor of this history";
  if (Object.keys(bad).length) throw invalid(bad);
  return {
    userId: q.user_id,
    taskId: q.task_id,
    since: since ?? undefined,
    until: until ?? undefined,
    after: after ?? undefined,
    limit,
  };
}
