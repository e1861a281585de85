// The next task copies the completed one and keeps its reminder's lead time.
import { expect, test } from "bun:test";
import type { RecurringTask } from "../src/occurrences/model.ts";
import { planNextTask } from "../src/occurrences/plan.ts";
import { exampleTask } from "../../../test/support/tasks.ts";

const task = (over: Partial<RecurringTask> = {}): RecurringTask => ({
  ...exampleTask(),
  id: 7,
  user_id: "u1",
  title: "Water the plants",
  description: "balcony too",
  priority: "high",
  tags: ["home"],
  due_at: "2026-12-01T08:00:00.000Z",
  remind_at: "2026-12-01T07:45:00.000Z",
  completed: true,
  completed_at: "2026-11-30T10:00:00.000Z",
  recurrence: { rule: "FREQ=DAILY", timezone: "Europe/Berlin" },
  series_id: "0b0e4f3c-9a7a-4a57-8a5e-1b2c3d4e5f60",
  occurrence: 1,
  ...over,
});
const now = new Date("2026-11-30T10:00:00Z");

test("the next task copies content and rule, with the next due time and the same reminder lead", () => {
  expect(planNextTask(task(), new Date(task().completed_at!), now)).toEqual({
    user_id: "u1",
    series_id: "0b0e4f3c-9a7a-4a57-8a5e-1b2c3d4e5f60",
    occurrence: 2,
    title: "Water the plants",
    description: "balcony too",
    priority: "high",
    tags: ["home"],
    due_at: "2026-12-02T08:00:00.000Z",
    remind_at: "2026-12-02T07:45:00.000Z",
    recurrence: { rule: "FREQ=DAILY", timezone: "Europe/Berlin" },
    // The task predates series anchors: its own due time becomes the anchor.
    series_anchor_at: "2026-12-01T08:00:00.000Z",
  });
});

test("the next task is computed from the series' anchor and hands it on", () => {
  // Daily at 02:30 Berlin since 2027-03-20; the completed task is the 03:30 one of the spring-forward night.
  const gapDay = task({
    due_at: "2027-03-28T01:30:00.000Z",
    remind_at: "2027-03-28T01:15:00.000Z",
    series_anchor_at: "2027-03-20T01:30:00.000Z",
    occurrence: 9,
  });
  const planned = planNextTask(gapDay, new Date("2027-03-28T06:00:00Z"), new Date("2027-03-28T06:00:00Z"));
  expect(planned).toMatchObject({
    occurrence: 10,
    due_at: "2027-03-29T00:30:00.000Z",
    remind_at: "2027-03-29T00:15:00.000Z",
    series_anchor_at: "2027-03-20T01:30:00.000Z",
  });
});

test("a series without due times anchors at the first due time it gets", () => {
  const planned = planNextTask(
    task({ due_at: null, remind_at: null, series_anchor_at: null }),
    new Date("2026-11-30T10:00:07.250Z"),
    now,
  );
  expect(planned?.series_anchor_at).toBe(planned!.due_at);
});

test("without a reminder the next task has none", () => {
  expect(planNextTask(task({ remind_at: null }), now, now)?.remind_at).toBeNull();
});

test("without a due date the completion time is the anchor, and no reminder is carried", () => {
  const planned = planNextTask(
    task({ due_at: null, remind_at: "2026-11-30T09:00:00.000Z" }),
    new Date("2026-11-30T10:00:07.250Z"),
    now,
  );
  expect(planned?.due_at).toBe("2026-12-01T10:00:07.000Z");
  expect(planned?.remind_at).toBeNull();
});

test("a finished series plans nothing", () => {
  expect(
    planNextTask(task({ recurrence: { rule: "FREQ=DAILY;COUNT=3", timezone: "UTC" }, occurrence: 3 }), now, now),
  ).toBeNull();
});
