// The producer keeps to the contract it shares with every consumer: what
// todo-api's serializer writes for a fully populated task, and the events it
// puts in the outbox, carry exactly the fields @todo/shared declares. The
// consumers tolerate extra fields (a newer producer may add some), so only
// here, where producer and schema meet, would an undeclared field show.
import { describe, expect, test } from "bun:test";
import type { TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { Task, TaskData, TaskEvent, TaskUpdate, TOPICS } from "@todo/shared";
import type { TaskRow } from "../src/db/schema.ts";
import { eventRows } from "../src/tasks/events.ts";
import { toTask } from "../src/tasks/serialize.ts";

/** The schema with every object closed: a field it does not declare is an error. */
function closed(schema: TSchema): TSchema {
  const copy: TSchema = { ...schema }; // a spread keeps TypeBox's symbol keys
  if (copy.type === "object" && copy.properties) {
    copy.properties = Object.fromEntries(
      Object.entries(copy.properties as Record<string, TSchema>).map(([key, value]) => [key, closed(value)]),
    );
    copy.additionalProperties = false;
  }
  if (Array.isArray(copy.anyOf)) copy.anyOf = copy.anyOf.map(closed);
  if (copy.items) copy.items = closed(copy.items);
  return copy;
}

/** Every path the closed schema refuses, with why: empty when the value keeps to it. */
const offences = (schema: TSchema, value: unknown) =>
  [...Value.Errors(closed(schema), value)].map((e) => `${e.path}: ${e.message}`);

const at = new Date("2026-11-27T09:00:00.000Z");
/** A row with every column set, so every field the serializer can write is written. */
const row: TaskRow = {
  id: 42,
  userId: "alice",
  title: "Water the plants",
  description: "the balcony too",
  priority: 2,
  tags: ["home", "garden"],
  completed: true,
  completedAt: at,
  dueAt: new Date("2026-11-28T09:00:00.000Z"),
  remindAt: new Date("2026-11-28T08:45:00.000Z"),
  reminderPendingAt: new Date("2026-11-28T08:45:00.000Z"),
  recurrenceRule: "FREQ=WEEKLY;BYDAY=MO",
  recurrenceTimezone: "Europe/Berlin",
  seriesId: "0b0e4f3c-9a7a-4a57-8a5e-1b2c3d4e5f60",
  occurrence: 3,
  seriesAnchorAt: new Date("2026-11-14T09:00:00.000Z"),
  createdAt: at,
  updatedAt: at,
  search: "",
};

describe("todo-api's task keeps to the shared contract", () => {
  test("the serialized task has every declared field and no other", () => {
    const task = toTask(row);
    expect(offences(Task, task)).toEqual([]);
    expect(Object.keys(task).sort()).toEqual(Object.keys(Task.properties).sort());
  });

  test("the task-events and task-updates payloads carry it as task_data, with nothing undeclared", () => {
    const [event, update] = eventRows("completed", toTask(row), at).map((r) => r.payload);
    expect(offences(TaskEvent, event)).toEqual([]);
    expect(offences(TaskUpdate, update)).toEqual([]);
    expect(offences(TaskData, (event as { task_data: unknown }).task_data)).toEqual([]);
  });

  test("a field the contract does not declare is named", () => {
    const stray = { ...toTask(row), colour: "red" };
    expect(offences(Task, stray)).toEqual(["/colour: Unexpected property"]);
    expect(offences(TaskEvent, { ...eventRows("created", toTask(row), at)[0]!.payload!, task_data: stray })).toEqual([
      "/task_data/colour: Unexpected property",
    ]);
    // The consumers' own check still lets a newer producer's extra field through.
    expect(
      Value.Check(TaskEvent, {
        event_type: "created",
        task_id: 42,
        task_data: stray,
        user_id: "alice",
        timestamp: at.toISOString(),
      }),
    ).toBe(true);
  });

  test("the rows go to the topics the contract names", () => {
    expect(eventRows("updated", toTask(row), at).map((r) => r.target)).toEqual([TOPICS.taskEvents, TOPICS.taskUpdates]);
  });
});
