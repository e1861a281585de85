// Request and response shapes of the task API (docs/architecture.md, "The task API").
// Elysia validates requests against them and generates /openapi from them.
import { t, type Static } from "elysia";
import { invalid } from "@todo/shared";

// Enums are unions of literals written out, not t.UnionEnum: Elysia
// workaround 2 (docs/architecture.md, "Elysia workarounds").
export const PRIORITIES = ["low", "medium", "high"] as const;
export const Priority = t.Union([t.Literal("low"), t.Literal("medium"), t.Literal("high")], {
  description: "default medium",
  examples: ["high"],
});

/** Any ISO 8601 date-time with an offset; responses always use UTC with Z. */
export const DateTime = t.String({
  format: "date-time",
  description: "RFC 3339 date-time with a Z or numeric offset",
  examples: ["2026-12-01T09:00:00Z"],
});

/** A date-time the task keeps: the same, within the years 1970 to 9999 (input.ts says why). */
const StoredDateTime = t.String({
  format: "date-time",
  description: "RFC 3339 date-time with a Z or numeric offset, from 1970 to 9999",
  examples: ["2026-12-01T09:00:00Z"],
});

export const Recurrence = t.Object(
  {
    rule: t.String({
      minLength: 1,
      maxLength: 500,
      description: "RFC 5545 RRULE",
      examples: ["FREQ=WEEKLY;BYDAY=MO,WE,FR"],
    }),
    timezone: t.String({ minLength: 1, maxLength: 64, description: "IANA time zone", examples: ["Europe/Berlin"] }),
  },
  { additionalProperties: false },
);

const Title = t.String({ minLength: 1, maxLength: 200, examples: ["Water the plants"] });
const Description = t.String({ maxLength: 4000, examples: ["The ones on the balcony too"] });
const Tags = t.Array(t.String({ minLength: 1, maxLength: 40 }), {
  maxItems: 20,
  description: "lower-cased and de-duplicated",
  examples: [["home", "garden"]],
});

const editable = {
  title: Title,
  description: t.Optional(Description),
  priority: t.Optional(Priority),
  tags: t.Optional(Tags),
  due_at: t.Optional(t.Nullable(StoredDateTime)),
  remind_at: t.Optional(t.Nullable(StoredDateTime)),
  recurrence: t.Optional(t.Nullable(Recurrence)),
};

export const TaskCreate = t.Object(editable, { additionalProperties: false });
export const TaskPatch = t.Object(
  { ...editable, title: t.Optional(Title) },
  { additionalProperties: false, minProperties: 1 },
);

export const Task = t.Object({
  id: t.Integer({ examples: [42] }),
  user_id: t.String(),
  title: t.String(),
  description: t.String(),
  priority: Priority,
  tags: t.Array(t.String()),
  completed: t.Boolean(),
  completed_at: t.Nullable(t.String()),
  due_at: t.Nullable(t.String()),
  remind_at: t.Nullable(t.String()),
  recurrence: t.Nullable(Recurrence),
  series_id: t.Nullable(t.String()),
  occurrence: t.Nullable(t.Integer()),
  series_anchor_at: t.Nullable(
    t.String({
      description:
        "the due time the series' next due times are computed from: the first task's, or the last one whose due time or rule was changed",
    }),
  ),
  created_at: t.String(),
  updated_at: t.String(),
});

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

export const TaskPage = t.Object({ items: t.Array(Task), next_cursor: t.Nullable(t.String()) });
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

export type TaskCreate = Static<typeof TaskCreate>;
export type TaskPatch = Static<typeof TaskPatch>;
export type Task = Static<typeof Task>;
export type TaskQuery = Static<typeof TaskQuery>;
export type Priority = (typeof PRIORITIES)[number];
