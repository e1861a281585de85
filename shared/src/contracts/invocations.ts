// The bodies of every method one service invokes on another through Dapr
// service invocation, declared once: the callee validates against them and
// the caller builds or reads them with their types.
//   recurring    → todo-api      POST internal/occurrences       OccurrenceRequest → OccurrenceResult
//   notification → todo-api      GET  internal/users/:id/contact → Contact
//   todo-api     → audit-log     GET  history                    HistoryQuery → HistoryPage
//   todo-api     → notification  GET  notifications              FeedQuery → FeedPage
//   todo-api     → notification  POST notifications/:id/read     ReadBody → FeedItem
// The two queries are in queries.ts: they need Elysia's coercing types.
import { Type, type Static } from "@sinclair/typebox";
import { Nullable, Task, TaskCreate, TaskData, UserId } from "./task.ts";

/** The next task of a series, which recurring asks todo-api to create. */
export const OccurrenceRequest = Type.Composite([
  TaskCreate,
  Type.Object({
    user_id: UserId,
    series_id: Type.String({ format: "uuid" }),
    occurrence: Type.Integer({ minimum: 2 }),
    /** The series' anchor (TaskSeries); a recurring that predates it sends none, and the due time is then the anchor. */
    series_anchor_at: Type.Optional(Nullable(Type.String({ format: "date-time" }))),
  }),
]);
export type OccurrenceRequest = Static<typeof OccurrenceRequest>;

/** The occurrence's task; `created` false (and status 200, not 201) when it already existed. */
export const OccurrenceResult = Type.Object({ task: Task, created: Type.Boolean() });
export type OccurrenceResult = Static<typeof OccurrenceResult>;

/** A user's contact details, as todo-api keeps them from the user's token. */
export const Contact = Type.Object({ user_id: UserId, email: Nullable(Type.String()), name: Nullable(Type.String()) });
export type Contact = Static<typeof Contact>;

export const HistoryItem = Type.Object({
  event_id: Type.String(),
  event_type: Type.String(),
  task_id: Type.Integer(),
  timestamp: Type.String({ description: "when the change happened" }),
  received_at: Type.String({ description: "when audit-log stored it" }),
  task_data: { ...TaskData, description: "the task after the change (before it, for deleted)" },
  source: Nullable(Type.String()),
});
export type HistoryItem = Static<typeof HistoryItem>;

export const HistoryPage = Type.Object({ items: Type.Array(HistoryItem), next_cursor: Nullable(Type.String()) });
export type HistoryPage = Static<typeof HistoryPage>;

export const EmailStatus = Type.Union([
  Type.Literal("pending"),
  Type.Literal("sent"),
  Type.Literal("failed"),
  Type.Literal("no_address"),
]);

/** One of a user's in-app notifications. */
export const FeedItem = Type.Object({
  id: Type.Integer(),
  task_id: Type.Integer(),
  title: Type.String(),
  due_at: Type.String(),
  remind_at: Type.String(),
  created_at: Type.String(),
  read: Type.Boolean(),
  read_at: Nullable(Type.String()),
  email: Type.Object({ status: EmailStatus, attempts: Type.Integer(), sent_at: Nullable(Type.String()) }),
});
export type FeedItem = Static<typeof FeedItem>;

/** One page of a user's in-app notifications, newest first. */
export const FeedPage = Type.Object({
  items: Type.Array(FeedItem),
  next_cursor: Nullable(Type.String()),
  unread_count: Type.Integer(),
});
export type FeedPage = Static<typeof FeedPage>;

/** POST notifications/:id/read: whose notification it must be. */
export const ReadBody = Type.Object({ user_id: Type.String({ minLength: 1 }) });
export type ReadBody = Static<typeof ReadBody>;
