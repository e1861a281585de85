// The part of a completed task's `task_data` recurring relies on (todo-api's
// task JSON; its series fields are the contract's TaskSeries), and the body of
// todo-api's POST /internal/occurrences.
import { Type, type Static } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { TaskSeries, UtcDateTime } from "@todo/shared";

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const RecurringTask = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  user_id: Type.String({ minLength: 1 }),
  title: Type.String({ minLength: 1 }),
  description: Type.String(),
  priority: Type.Union([Type.Literal("low"), Type.Literal("medium"), Type.Literal("high")]),
  tags: Type.Array(Type.String()),
  due_at: Nullable(UtcDateTime),
  remind_at: Nullable(UtcDateTime),
  completed_at: Nullable(UtcDateTime),
  ...TaskSeries.properties,
});
export type RecurringTask = Static<typeof RecurringTask>;

const check = TypeCompiler.Compile(RecurringTask);

/** The task if it is a usable recurring task, else the paths that are not. */
export function readRecurringTask(data: unknown): { ok: true; task: RecurringTask } | { ok: false; errors: string[] } {
  if (check.Check(data)) return { ok: true, task: data };
  return { ok: false, errors: [...new Set([...check.Errors(data)].map((e) => `${e.path || "/"}: ${e.message}`))] };
}

export interface OccurrenceRequest {
  user_id: string;
  series_id: string;
  occurrence: number;
  title: string;
  description: string;
  priority: RecurringTask["priority"];
  tags: string[];
  due_at: string;
  remind_at: string | null;
  recurrence: RecurringTask["recurrence"];
  /** Absent for todo-api versions that predate it: the occurrence's own due_at is then its anchor. */
  series_anchor_at: string | null;
}
