// Listing with filters, sort and keyset pagination. The cursor holds the
// last row's sort value and id, so rows inserted while a client pages land
// before or after it and nothing is skipped or repeated.
import { invalid } from "@todo/shared";
import { and, arrayContains, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { tasks, type TaskRow } from "../db/schema.ts";
import { NUL_MESSAGE, priorityRank, strictDate } from "./validate.ts";
import { PRIORITIES, type Task } from "@todo/shared";
import type { TaskQuery } from "./model.ts";
import { toTask } from "./serialize.ts";

type Sort = NonNullable<TaskQuery["sort"]>;
type Order = "asc" | "desc";

const DEFAULT_ORDER: Record<Sort, Order> = { created_at: "desc", priority: "desc", due_at: "asc", title: "asc" };

/** A page's row with the value it was ordered by, as Postgres computed it. */
interface SortedRow {
  task: TaskRow;
  titleKey: string;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const isInstant = (v: unknown) => typeof v === "string" && ISO_INSTANT.test(v) && strictDate(v).getTime() >= 0; // NaN fails too

/**
 * The value rows are ordered by (undated tasks come last in either direction),
 * how a cursor takes it from a row, and which cursor values it can hold: a
 * cursor is client input, and a value the cast refuses would be a 500.
 */
function sortKey(
  sort: Sort,
  order: Order,
): {
  expr: SQL;
  of: (row: SortedRow) => string | number;
  valid: (v: unknown) => boolean;
  cast: (v: string | number) => SQL;
} {
  switch (sort) {
    case "created_at":
      return {
        expr: sql`${tasks.createdAt}`,
        of: (r) => r.task.createdAt.toISOString(),
        valid: isInstant,
        cast: (v) => sql`${v}::timestamptz`,
      };
    case "priority":
      return {
        expr: sql`${tasks.priority}`,
        of: (r) => r.task.priority,
        valid: (v) => PRIORITIES.some((_, rank) => v === rank),
        cast: (v) => sql`${v}::smallint`,
      };
    case "title":
      // Postgres's own lower(), not JavaScript's toLowerCase(): the two differ
      // (İ, and letters outside ASCII under the C collation), and a cursor
      // must hold exactly the value the rows were ordered by.
      return {
        expr: sql`lower(${tasks.title})`,
        of: (r) => r.titleKey,
        valid: (v) => typeof v === "string" && !v.includes("\u0000"),
        cast: (v) => sql`${v}::text`,
      };
    case "due_at": {
      const last = order === "asc" ? "infinity" : "-infinity";
      return {
        expr: sql`coalesce(${tasks.dueAt}, ${last}::timestamptz)`,
        of: (r) => r.task.dueAt?.toISOString() ?? last,
        valid: (v) => v === last || isInstant(v),
        cast: (v) => sql`${v}::timestamptz`,
      };
    }
  }
}

interface Cursor {
  s: Sort;
  o: Order;
  v: string | number;
  i: number;
}

const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString("base64url");

function decode(raw: string, sort: Sort, order: Order, valid: (v: unknown) => boolean): Cursor {
  try {
    const c = JSON.parse(Buffer.from(raw, "base64url").toString()) as Cursor;
    if (c.s === sort && c.o === order && Number.isSafeInteger(c.i) && valid(c.v)) return c;
  } catch {
    // fall through to the 422
  }
  throw invalid({ cursor: "is not a cursor of this listing (sort and order must stay the same)" });
}

export async function listTasks(
  db: Database,
  userId: string,
  q: TaskQuery,
): Promise<{ items: Task[]; next_cursor: string | null }> {
  const sort = q.sort ?? "created_at";
  const order = q.order ?? DEFAULT_ORDER[sort];
  const limit = q.limit ?? 20;
  const key = sortKey(sort, order);
  const dueBefore = q.due_before ? strictDate(q.due_before) : undefined;
  const dueAfter = q.due_after ? strictDate(q.due_after) : undefined;
  const bad: Record<string, string> = {};
  if (limit < 1 || limit > 100) bad.limit = "must be from 1 to 100";
  if (q.q?.includes("\u0000")) bad.q = NUL_MESSAGE;
  if (q.tag && (q.tag.length > 20 || q.tag.some((tag) => tag.trim().length < 1 || tag.length > 40)))
    bad.tag = "up to 20 tags of 1 to 40 characters";
  if (q.tag?.some((tag) => tag.includes("\u0000"))) bad.tag = NUL_MESSAGE;
  if (dueBefore && Number.isNaN(dueBefore.getTime())) bad.due_before = "is not a valid date-time";
  if (dueAfter && Number.isNaN(dueAfter.getTime())) bad.due_after = "is not a valid date-time";
  if (Object.keys(bad).length) throw invalid(bad);

  const where: (SQL | undefined)[] = [eq(tasks.userId, userId)];
  if (q.status === "open") where.push(eq(tasks.completed, false));
  if (q.status === "completed") where.push(eq(tasks.completed, true));
  if (q.priority) where.push(eq(tasks.priority, priorityRank(q.priority)));
  if (q.tag?.length) where.push(arrayContains(tasks.tags, [...new Set(q.tag.map((t) => t.trim().toLowerCase()))]));
  if (q.q) where.push(sql`${tasks.search} @@ websearch_to_tsquery('english', ${q.q})`);
  if (dueBefore) where.push(lt(tasks.dueAt, dueBefore));
  if (dueAfter) where.push(gte(tasks.dueAt, dueAfter));
  if (q.cursor) {
    const c = decode(q.cursor, sort, order, key.valid);
    where.push(
      order === "asc"
        ? sql`(${key.expr}, ${tasks.id}) > (${key.cast(c.v)}, ${c.i})`
        : sql`(${key.expr}, ${tasks.id}) < (${key.cast(c.v)}, ${c.i})`,
    );
  }
  const direction = order === "asc" ? sql`asc` : sql`desc`;
  const rows = await db
    .select({ task: tasks, titleKey: sql<string>`lower(${tasks.title})` })
    .from(tasks)
    .where(and(...where))
    .orderBy(sql`${key.expr} ${direction}`, sql`${tasks.id} ${direction}`)
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const next = rows.length > limit && last ? encode({ s: sort, o: order, v: key.of(last), i: last.task.id }) : null;
  return { items: page.map((r) => toTask(r.task)), next_cursor: next };
}
