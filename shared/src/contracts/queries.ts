// The queries of the two GET methods todo-api invokes (invocations.ts lists
// them all). Written with Elysia's `t`, not plain TypeBox: a query arrives as
// text, and only Elysia's Integer accepts "42" as 42 (a plain
// Type.Integer refuses it). Server code only; the browser needs none of it.
import { t, type Static } from "elysia";
import { UserId } from "./task.ts";

// Ranges are checked in audit-log's history/service.ts: Elysia loses the
// field name of a range error on a coerced query number.
/** One page of a user's (or one task's) audit trail, oldest first. */
export const HistoryQuery = t.Object({
  user_id: UserId,
  cursor: t.Optional(t.String({ maxLength: 500 })),
  task_id: t.Optional(t.Integer({ description: "only this task's events" })),
  limit: t.Optional(t.Integer({ description: "1 to 100, default 50" })),
  since: t.Optional(t.String({ description: "ISO 8601; events at or after it" })),
  until: t.Optional(t.String({ description: "ISO 8601; events before it" })),
});
export type HistoryQuery = Static<typeof HistoryQuery>;

/** One page of a user's in-app notifications, newest first. */
export const FeedQuery = t.Object({
  user_id: t.String({ minLength: 1 }),
  cursor: t.Optional(t.String()),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 100 })),
});
export type FeedQuery = Static<typeof FeedQuery>;
