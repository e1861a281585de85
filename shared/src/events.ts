// The three topic payloads of docs/architecture.md, declared once. Producers check
// what they send and consumers check what they receive against these.
import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { TaskData, UserId, UtcDateTime } from "./contracts/task.ts";
import { TOPICS, type Topic } from "./topics.ts";

const TaskId = Type.Integer({ minimum: 1, description: "the integer task id" });

export const TASK_EVENT_TYPES = ["created", "updated", "completed", "reopened", "deleted"] as const;
export const TASK_UPDATE_OPERATIONS = ["create", "update", "complete", "reopen", "delete"] as const;

// Unknown extra fields are tolerated (a newer producer may add some); missing
// or mistyped contract fields are not, in the envelope or in `task_data`,
// which is the task as todo-api's API returns it (contracts/task.ts).
const aboutATask = { task_id: TaskId, task_data: TaskData, user_id: UserId, timestamp: UtcDateTime };

export const TaskEvent = Type.Object({
  event_type: Type.Union(TASK_EVENT_TYPES.map((v) => Type.Literal(v))),
  ...aboutATask,
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
  ...aboutATask,
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
