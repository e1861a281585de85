// The next task copies the completed one and keeps its reminder's lead time.
import { expect, test } from "bun:test";
import type { RecurringTask } from "../src/occurrences/model.ts";
import { planNextTask } from "../src/occurrences/plan.ts";

const task = (over: Partial<RecurringTask> = {}): RecurringTask => ({
  id: 7,
  user_id: "u1",
  title: "Water the plants",
  description: "balcony too",
  priority: "high",
  tags: ["home"],
  due_at: "2026-12-01T08:00:00.000Z",
  remind_at: "2026-12-01T07:45:00.000Z",
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
  });
});

test("without a reminder the next task has none", () => {
  expect(planNextTask(task({ remind_at: null }), now, now)?.remind_at).toBeNull();
});

test("without a due date the completion time is the anchor, and no reminder is carried", () => {
  const planned = planNextTask(task({ due_at: null, remind_at: "2026-11-30T09:00:00.000Z" }), new Date("2026-11-30T10:00:07.250Z"), now);
  expect(planned?.due_at).toBe("2026-12-01T10:00:07.000Z");
  expect(planned?.remind_at).toBeNull();
});

test("a finished series plans nothing", () => {
  expect(planNextTask(task({ recurrence: { rule: "FREQ=DAILY;COUNT=3", timezone: "UTC" }, occurrence: 3 }), now, now)).toBeNull();
});
