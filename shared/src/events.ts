// The three topic payloads of docs/architecture.md, declared once. Producers check
// what they send and consumers check what they receive against these.
import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { TOPICS, type Topic } from "./topics.ts";

/** ISO 8601 in UTC with a `Z` suffix, as the contract requires. */
export const UtcDateTime = Type.String({
  pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$",
  description: "ISO 8601 date-time in UTC with a Z suffix",
  examples: ["2026-11-27T09:00:00.000Z"],
});

const TaskId = Type.Integer({ minimum: 1, description: "the integer task id" });
const UserId = Type.String({ minLength: 1, maxLength: 255 });
const TaskData = Type.Record(Type.String(), Type.Unknown(), { description: "the full task" });

/**
 * What `task_data` says about a recurring task's series (todo-api's task
 * JSON, from which recurring plans the next task). `series_anchor_at` came
 * later, so it may be missing: it is the due time every occurrence is
 * computed from (RFC 5545's DTSTART: the first task's, or the one whose due
 * time or rule was last changed), null when the series has no due times.
 * Without it, the task's own `due_at` is the anchor.
 */
export const TaskSeries = Type.Object({
  recurrence: Type.Object({ rule: Type.String({ minLength: 1 }), timezone: Type.String({ minLength: 1 }) }),
  series_id: Type.String({ format: "uuid" }),
  occurrence: Type.Integer({ minimum: 1 }),
  series_anchor_at: Type.Optional(Type.Union([UtcDateTime, Type.Null()])),
});
export type TaskSeries = Static<typeof TaskSeries>;

export const TASK_EVENT_TYPES = ["created", "updated", "completed", "reopened", "deleted"] as const;
export const TASK_UPDATE_OPERATIONS = ["create", "update", "complete", "reopen", "delete"] as const;

// Unknown extra fields are tolerated (a newer producer may add some); missing
// or mistyped contract fields are not.
export const TaskEvent = Type.Object({
  event_type: Type.Union(TASK_EVENT_TYPES.map((v) => Type.Literal(v))),
  task_id: TaskId,
  task_data: TaskData,
  user_id: UserId,
  timestamp: UtcDateTime,
});

export const Reminder = Type.Object({
  task_id: TaskId,
  title: Type.String({ minLength: 1 }),
  due_at: UtcDateTime,
  remind_at: UtcDateTime,
  user_id: UserId,
});

export const TaskUpdate = Type.Object({
  operation: Type.Union(TASK_UPDATE_OPERATIONS.map((v) => Type.Literal(v))),
  task_id: TaskId,
  task_data: TaskData,
  user_id: UserId,
  timestamp: UtcDateTime,
});

export type TaskEvent = Static<typeof TaskEvent>;
export type Reminder = Static<typeof Reminder>;
export type TaskUpdate = Static<typeof TaskUpdate>;

export interface TopicPayloads {
  "task-events": TaskEvent;
  reminders: Reminder;
  "task-updates": TaskUpdate;
}

export const TOPIC_SCHEMAS: { [T in Topic]: TSchema } = {
  [TOPICS.taskEvents]: TaskEvent,
  [TOPICS.reminders]: Reminder,
  [TOPICS.taskUpdates]: TaskUpdate,
};

const compiled = Object.fromEntries(
  Object.entries(TOPIC_SCHEMAS).map(([topic, schema]) => [topic, TypeCompiler.Compile(schema)]),
) as { [T in Topic]: ReturnType<typeof TypeCompiler.Compile> };

export interface FieldError {
  path: string;
  message: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Checks a payload against its topic's schema and names every bad field. */
export function validatePayload<T extends Topic>(topic: T, data: unknown): Validation<TopicPayloads[T]> {
  const check = compiled[topic];
  if (check.Check(data)) return { ok: true, value: data as TopicPayloads[T] };
  const errors = [...check.Errors(data)].map((e) => ({ path: e.path || "/", message: e.message }));
  return { ok: false, errors: dedupeByPath(errors) };
}

function dedupeByPath(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (seen.has(e.path)) return false;
    seen.add(e.path);
    return true;
  });
}
