// Acting on `completed` task events: plan the next task of the series and ask
// todo-api to create it. Recorded once per event id in processed_events, in
// a transaction that commits only after todo-api answered; todo-api makes the
// create itself idempotent on (series_id, occurrence), which covers a crash
// between its answer and our commit.
import type { DeliveredEvent, HandlerResult, Logger, OccurrenceRequest, TaskEvent } from "@todo/shared";
import { readRecurringTask } from "./model.ts";
import { planNextTask } from "./plan.ts";

/** What todo-api made of a create request. */
export type CreateOutcome = "created" | "existed" | "deleted" | "rejected";

/** todo-api's internal occurrences endpoint; throws when todo-api cannot be reached. */
export interface TaskApi {
  createOccurrence(request: OccurrenceRequest): Promise<{ outcome: CreateOutcome; taskId?: number; detail?: string }>;
}

/** Runs `work` unless this event was already handled; records it when `work` succeeds. */
export interface ProcessedEvents {
  once(eventId: string, work: () => Promise<void>): Promise<"done" | "duplicate">;
}

export interface OccurrenceDeps {
  tasks: TaskApi;
  processed: ProcessedEvents;
  log: Logger;
  now?: () => Date;
}

export async function onTaskEvent(event: DeliveredEvent<TaskEvent>, deps: OccurrenceDeps): Promise<HandlerResult> {
  const { data } = event;
  if (data.event_type !== "completed" || !data.task_data.recurrence) return "SUCCESS";
  const fields = { event_id: event.id, task_id: data.task_id, user_id: data.user_id };
  const read = readRecurringTask(data.task_data);
  if (!read.ok) {
    deps.log.warn("dropping a completed event whose task is not a usable recurring task", {
      ...fields,
      errors: read.errors,
    });
    return "DROP";
  }
  const task = read.task;
  const completedAt = new Date(task.completed_at ?? data.timestamp);
  let next: OccurrenceRequest | null;
  try {
    next = planNextTask(task, completedAt, (deps.now ?? (() => new Date()))());
  } catch (err) {
    deps.log.warn("dropping a completed event whose rule cannot be evaluated", {
      ...fields,
      error: err instanceof Error ? err.message : String(err),
    });
    return "DROP";
  }
  let result: HandlerResult = "SUCCESS";
  const outcome = await deps.processed.once(event.id, async () => {
    if (!next) {
      deps.log.info("series ended", { ...fields, series_id: task.series_id, occurrence: task.occurrence });
      return;
    }
    const answer = await deps.tasks.createOccurrence(next);
    const about = {
      ...fields,
      series_id: next.series_id,
      occurrence: next.occurrence,
      due_at: next.due_at,
      next_task_id: answer.taskId,
    };
    if (answer.outcome === "created") deps.log.info("next occurrence created", about);
    else if (answer.outcome === "existed") deps.log.info("next occurrence already existed", about);
    else if (answer.outcome === "deleted")
      deps.log.info("next occurrence was deleted by its owner; not recreated", about);
    else {
      deps.log.warn("todo-api rejected the next occurrence", { ...about, detail: answer.detail });
      result = "DROP";
    }
  });
  if (outcome === "duplicate") deps.log.info("completed event already handled", fields);
  return result;
}
