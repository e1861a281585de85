// The task, declared once: what todo-api accepts and returns, and what every
// event carries as `task_data`. todo-api serializes to `Task`, consumers check
// `TaskData`, and the browser client imports the types (`import type` only:
// nothing here may need more than TypeBox, so the client's type check stays
// free of server code).
import { Type, type Static, type TSchema } from "@sinclair/typebox";

/** Null or the schema, marked `nullable` as Elysia's t.Nullable marks it, so /openapi reads the same. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()], { nullable: true });

/** ISO 8601 in UTC with a `Z` suffix, as every response and event writes a time. */
export const UtcDateTime = Type.String({
  pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$",
  description: "ISO 8601 date-time in UTC with a Z suffix",
  examples: ["2026-11-27T09:00:00.000Z"],
});

/** Any ISO 8601 date-time with an offset, as requests may write one. */
export const DateTime = Type.String({
  format: "date-time",
  description: "RFC 3339 date-time with a Z or numeric offset",
  examples: ["2026-12-01T09:00:00Z"],
});

/** A date-time the task keeps: the same, within the years 1970 to 9999 (todo-api's tasks/input.ts says why). */
const StoredDateTime = Type.String({
  format: "date-time",
  description: "RFC 3339 date-time with a Z or numeric offset, from 1970 to 9999",
  examples: ["2026-12-01T09:00:00Z"],
});

export const UserId = Type.String({ minLength: 1, maxLength: 255 });

// Enums are unions of literals written out, not t.UnionEnum: Elysia fills an
// absent optional UnionEnum with its first value (a missing priority would
// become "low"), and a union built from an array loses its static type.
export const PRIORITIES = ["low", "medium", "high"] as const;
export const Priority = Type.Union([Type.Literal("low"), Type.Literal("medium"), Type.Literal("high")], {
  description: "default medium",
  examples: ["high"],
});
export type Priority = Static<typeof Priority>;

export const Recurrence = Type.Object(
  {
    rule: Type.String({
      minLength: 1,
      maxLength: 500,
      description: "RFC 5545 RRULE",
      examples: ["FREQ=WEEKLY;BYDAY=MO,WE,FR"],
    }),
    timezone: Type.String({ minLength: 1, maxLength: 64, description: "IANA time zone", examples: ["Europe/Berlin"] }),
  },
  { additionalProperties: false },
);
export type Recurrence = Static<typeof Recurrence>;

const Title = Type.String({ minLength: 1, maxLength: 200, examples: ["Water the plants"] });
const Description = Type.String({ maxLength: 4000, examples: ["The ones on the balcony too"] });
const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 40 }), {
  maxItems: 20,
  description: "lower-cased and de-duplicated",
  examples: [["home", "garden"]],
});

const editable = {
  title: Title,
  description: Type.Optional(Description),
  priority: Type.Optional(Priority),
  tags: Type.Optional(Tags),
  due_at: Type.Optional(Nullable(StoredDateTime)),
  remind_at: Type.Optional(Nullable(StoredDateTime)),
  recurrence: Type.Optional(Nullable(Recurrence)),
};

/** POST /api/tasks. */
export const TaskCreate = Type.Object(editable, { additionalProperties: false });
/** PATCH /api/tasks/:id: any of the same fields, at least one. */
export const TaskPatch = Type.Object(
  { ...editable, title: Type.Optional(Title) },
  { additionalProperties: false, minProperties: 1 },
);
export type TaskCreate = Static<typeof TaskCreate>;
export type TaskPatch = Static<typeof TaskPatch>;

const seriesAnchorDescription =
  "the due time the series' next due times are computed from: the first task's, or the last one whose due time or rule was changed";

/** A task as the API returns it (todo-api's tasks/serialize.ts writes it). */
export const Task = Type.Object({
  id: Type.Integer({ minimum: 1, examples: [42] }),
  user_id: UserId,
  title: Type.String({ minLength: 1 }),
  description: Type.String(),
  priority: Priority,
  tags: Type.Array(Type.String()),
  completed: Type.Boolean(),
  completed_at: Nullable(UtcDateTime),
  due_at: Nullable(UtcDateTime),
  remind_at: Nullable(UtcDateTime),
  recurrence: Nullable(Recurrence),
  series_id: Nullable(Type.String()),
  occurrence: Nullable(Type.Integer({ minimum: 1 })),
  series_anchor_at: Nullable({ ...UtcDateTime, description: seriesAnchorDescription }),
  created_at: UtcDateTime,
  updated_at: UtcDateTime,
});
export type Task = Static<typeof Task>;

export const TaskPage = Type.Object({ items: Type.Array(Task), next_cursor: Nullable(Type.String()) });
export type TaskPage = Static<typeof TaskPage>;

/**
 * The task an event carries as `task_data`: the API's task, except that
 * `series_anchor_at` came later, so an event from an older todo-api may
 * lack it. Unknown extra fields are tolerated (a newer producer may add
 * some); the producer's own test checks it adds none undeclared.
 */
export const TaskData = Type.Composite([
  Type.Omit(Task, ["series_anchor_at"]),
  Type.Object({ series_anchor_at: Type.Optional(Task.properties.series_anchor_at) }),
]);
export type TaskData = Static<typeof TaskData>;

/**
 * What a recurring task's `task_data` says about its series: the series
 * fields, not null. `series_anchor_at` is the due time every occurrence is
 * computed from (RFC 5545's DTSTART: the first task's, or the one whose due
 * time or rule was last changed), null when the series has no due times.
 * Without it, the task's own `due_at` is the anchor.
 */
export const TaskSeries = Type.Object({
  recurrence: Recurrence,
  series_id: Type.String({ format: "uuid" }),
  occurrence: Type.Integer({ minimum: 1 }),
  series_anchor_at: Type.Optional(Nullable(UtcDateTime)),
});
export type TaskSeries = Static<typeof TaskSeries>;
