import { describe, expect, test } from "bun:test";
import { TOPICS, validatePayload } from "../src/index.ts";
import { exampleTask } from "../../test/support/tasks.ts";

const taskEvent = {
  event_type: "completed",
  task_id: 3,
  task_data: exampleTask({ id: 3, user_id: "alice" }),
  user_id: "alice",
  timestamp: "2026-11-27T09:00:00.000Z",
};

describe("topic payload validation", () => {
  test("accepts each contract payload", () => {
    expect(validatePayload(TOPICS.taskEvents, taskEvent).ok).toBe(true);
    expect(validatePayload(TOPICS.taskUpdates, { ...taskEvent, event_type: undefined, operation: "complete" }).ok).toBe(
      true,
    );
    const reminder = {
      task_id: 3,
      title: "t",
      due_at: "2026-11-27T09:00:00Z",
      remind_at: "2026-11-27T08:00:00Z",
      user_id: "alice",
    };
    expect(validatePayload(TOPICS.reminders, reminder).ok).toBe(true);
  });

  test("tolerates fields a newer producer adds", () => {
    expect(validatePayload(TOPICS.taskEvents, { ...taskEvent, schema_version: 2 }).ok).toBe(true);
  });

  test("names every bad field at once", () => {
    const result = validatePayload(TOPICS.taskEvents, {
      ...taskEvent,
      task_id: "3",
      event_type: "exploded",
      timestamp: "yesterday",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path).sort()).toEqual(["/event_type", "/task_id", "/timestamp"]);
  });

  test("rejects timestamps that are not UTC with a Z suffix", () => {
    expect(validatePayload(TOPICS.taskEvents, { ...taskEvent, timestamp: "2026-11-27T09:00:00+01:00" }).ok).toBe(false);
  });

  test("rejects non-objects and missing fields", () => {
    expect(validatePayload(TOPICS.reminders, "not json {").ok).toBe(false);
    expect(validatePayload(TOPICS.reminders, null).ok).toBe(false);
    const { user_id: _u, ...noUser } = taskEvent;
    const result = validatePayload(TOPICS.taskEvents, noUser);
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(["/user_id"]);
  });
});
