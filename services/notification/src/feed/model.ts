// The in-app feed's shapes, as todo-api passes them on to the user.
import { t, type Static } from "elysia";

export const FeedQuery = t.Object({
  user_id: t.String({ minLength: 1 }),
  cursor: t.Optional(t.String()),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 100 })),
});

export const ReadBody = t.Object({ user_id: t.String({ minLength: 1 }) });
export const NotificationParams = t.Object({ id: t.Integer() });

export const EmailStatus = t.Union([
  t.Literal("pending"),
  t.Literal("sent"),
  t.Literal("failed"),
  t.Literal("no_address"),
]);

export const FeedItem = t.Object({
  id: t.Integer(),
  task_id: t.Integer(),
  title: t.String(),
  due_at: t.String(),
  remind_at: t.String(),
  created_at: t.String(),
  read: t.Boolean(),
  read_at: t.Nullable(t.String()),
  email: t.Object({ status: EmailStatus, attempts: t.Integer(), sent_at: t.Nullable(t.String()) }),
});

export type FeedItem = Static<typeof FeedItem>;
export type FeedQuery = Static<typeof FeedQuery>;
