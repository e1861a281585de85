// A task in the shape todo-api returns and events carry (Task in
// @todo/shared), for tests that publish events or build frames by hand:
// consumers check `task_data` against the contract, so a partial task is
// an invalid payload.
import type { Task } from "@todo/shared";

export function exampleTask(overrides: Partial<Task> = {}): Task {
  const at = "2026-11-27T09:00:00.000Z";
  return {
    id: 1,
    user_id: "user-1",
    title: "Water the plants",
    description: "",
    priority: "medium",
    tags: [],
    completed: false,
    completed_at: null,
    due_at: null,
    remind_at: null,
    recurrence: null,
    series_id: null,
    occurrence: null,
    series_anchor_at: null,
    created_at: at,
    updated_at: at,
    ...overrides,
  };
}
