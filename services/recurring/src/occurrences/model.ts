// A completed task's `task_data` as recurring needs it: the contract's task
// (TaskData in @todo/shared) whose series fields (TaskSeries) are set. The
// next task goes to todo-api as an OccurrenceRequest, also @todo/shared's.
import { Type, type Static } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { TaskData, TaskSeries } from "@todo/shared";

export const RecurringTask = Type.Composite([Type.Omit(TaskData, Type.KeyOf(TaskSeries)), TaskSeries]);
export type RecurringTask = Static<typeof RecurringTask>;

const check = TypeCompiler.Compile(RecurringTask);

/** The task if it is a usable recurring task, else the paths that are not. */
export function readRecurringTask(data: unknown): { ok: true; task: RecurringTask } | { ok: false; errors: string[] } {
  if (check.Check(data)) return { ok: true, task: data };
  return { ok: false, errors: [...new Set([...check.Errors(data)].map((e) => `${e.path || "/"}: ${e.message}`))] };
}
