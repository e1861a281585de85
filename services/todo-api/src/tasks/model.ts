// The task API's own request shapes beyond the shared contract: the listing
// query and path ids. The task itself, its create and patch bodies and the
// page are @todo/shared's (shared/src/contracts/task.ts). Elysia validates
// requests against them and generates /openapi from them.
import { t, type Static } from "elysia";
import { DateTime, invalid, Priority } from "@todo/shared";

export const TaskQuery = t.Object({
  status: t.Optional(
    t.Union([t.Literal("open"), t.Literal("completed"), t.Literal("all")], { description: "default all" }),
  ),
  priority: t.Optional(Priority),
  // Lengths checked in listing.ts: Elysia workaround 3.
  tag: t.Optional(
    t.Array(t.String(), { description: "repeatable (up to 20, each 1 to 40 characters); a task must have every tag" }),
  ),
  q: t.Optional(t.String({ minLength: 1, maxLength: 200, description: "full-text search over title and description" })),
  due_before: t.Optional(DateTime),
  due_after: t.Optional(DateTime),
  sort: t.Optional(
    t.Union([t.Literal("due_at"), t.Literal("priority"), t.Literal("created_at"), t.Literal("title")], {
      description: "default created_at",
    }),
  ),
  order: t.Optional(
    t.Union([t.Literal("asc"), t.Literal("desc")], { description: "default asc for due_at and title, desc otherwise" }),
  ),
  // Range checked in listing.ts: Elysia workaround 3.
  limit: t.Optional(t.Integer({ description: "1 to 100, default 20" })),
  cursor: t.Optional(t.String({ maxLength: 500 })),
});

/**
 * Row ids are bigserial but read as JS numbers; an id past 2^53 cannot be
 * told apart from its neighbours, so it is refused (422) instead of searched.
 * The range is checked by checkRowId, not by the schema: Elysia workaround 3
 * (docs/architecture.md, "Elysia workarounds").
 */
export const RowId = t.Integer({ description: "a whole number from 1 to 2^53 − 1", examples: [42] });
export const TaskIdParams = t.Object({ id: RowId });

/** A before-handle hook: 422 naming `id` when a path id cannot be a row's. */
export function checkRowId({ params }: { params?: Record<string, unknown> }) {
  const id = params?.id; // routes without path parameters have none
  if (typeof id === "number" && !(Number.isSafeInteger(id) && id >= 1))
    throw invalid({ id: "must be a whole number from 1 to 9007199254740991" });
}

export type TaskQuery = Static<typeof TaskQuery>;
