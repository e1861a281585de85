// Which reminder job a task change asks for, decided on stored rows without
// a database: scheduled while open with a future remind_at, left alone when
// already scheduled, deleted when it may exist and is no longer wanted.
import { describe, expect, test } from "bun:test";
import type { TaskRow } from "../src/db/schema.ts";
import { reminderEventRow } from "../src/reminders/event.ts";
import { cancelReminder, reminderJobName, reminderJobRows } from "../src/reminders/jobs.ts";

const now = new Date("2026-12-01T09:00:00Z");
const later = new Date("2026-12-01T10:00:00Z");
const earlier = new Date("2026-12-01T08:00:00Z");

const row = (fields: Partial<TaskRow> = {}): TaskRow => ({
  id: 7,
  userId: "u1",
  title: "Water the plants",
  description: "",
  priority: 1,
  tags: [],
  completed: false,
  completedAt: null,
  dueAt: null,
  remindAt: null,
  reminderPendingAt: null,
  recurrenceRule: null,
  recurrenceTimezone: null,
  seriesId: null,
  occurrence: null,
  seriesAnchorAt: null,
  createdAt: now,
  updatedAt: now,
  search: "",
  ...fields,
});

describe("reminderJobRows", () => {
  const cases: [string, TaskRow, TaskRow | null, string[], Date | null | undefined][] = [
    ["a new task without remind_at: nothing", row(), null, [], null],
    ["a new task reminding later: scheduled", row({ remindAt: later }), null, ["schedule_job"], later],
    ["a new task reminding in the past: nothing", row({ remindAt: earlier }), null, [], null],
    [
      "remind_at unchanged on an open task: left as scheduled",
      row({ remindAt: later }),
      row({ remindAt: later }),
      [],
      undefined,
    ],
    [
      "remind_at moved: scheduled again",
      row({ remindAt: later }),
      row({ remindAt: new Date("2026-12-01T11:00:00Z") }),
      ["schedule_job"],
      later,
    ],
    [
      "reopened with a future remind_at: scheduled again",
      row({ remindAt: later }),
      row({ remindAt: later, completed: true }),
      ["schedule_job"],
      later,
    ],
    [
      "completed: the job is deleted",
      row({ remindAt: later, completed: true }),
      row({ remindAt: later }),
      ["delete_job"],
      null,
    ],
    ["remind_at cleared: the job is deleted", row(), row({ remindAt: later }), ["delete_job"], null],
    ["a change to a task that never reminded: nothing", row({ title: "x" }), row(), [], null],
  ];
  for (const [name, task, previous, kinds, pendingAt] of cases)
    test(name, () => {
      const result = reminderJobRows(task, previous, now);
      expect(result.rows.map((r) => r.kind)).toEqual(kinds);
      expect(result.pendingAt).toEqual(pendingAt);
      for (const r of result.rows) expect(r).toMatchObject({ target: reminderJobName(7), userId: "u1" });
    });

  test("the scheduled job carries the task, its remind_at and its user, due at remind_at", () => {
    const [schedule] = reminderJobRows(row({ remindAt: later }), null, now).rows;
    expect(schedule!.payload).toEqual({
      dueTime: "2026-12-01T10:00:00.000Z",
      data: { task_id: 7, remind_at: "2026-12-01T10:00:00.000Z", user_id: "u1" },
      overwrite: true,
      failurePolicy: { constant: { interval: "5s", maxRetries: 12 } },
    });
  });
});

test("a deleted task deletes its job only if it had a remind_at", () => {
  expect(cancelReminder(row()).length).toBe(0);
  expect(cancelReminder(row({ remindAt: earlier })).map((r) => r.kind)).toEqual(["delete_job"]);
});

test("the reminders event has one id per (task, remind_at), and an undated task is due when it reminds", () => {
  const a = reminderEventRow(row({ remindAt: later }));
  expect(a.payload).toEqual({
    task_id: 7,
    title: "Water the plants",
    due_at: "2026-12-01T10:00:00.000Z",
    remind_at: "2026-12-01T10:00:00.000Z",
    user_id: "u1",
  });
  expect(reminderEventRow(row({ remindAt: later, title: "renamed" })).eventId).toBe(a.eventId);
  expect(reminderEventRow(row({ remindAt: earlier })).eventId).not.toBe(a.eventId);
});
