// The board's pure logic: which group a task is in at a given local time
// (the browser test checks it in a fixed zone across midnight), and the
// recurrence picker's reading of a rule.
import { describe, expect, test } from "bun:test";
import type { Task } from "../src/client/api.ts";
import { groupOf } from "../src/client/groups.ts";
import { describeRule, fromRule, toRule } from "../src/client/recurrence.ts";
import { exampleTask } from "../../../test/support/tasks.ts";

/** A local wall-clock time in whatever zone the tests run in (the process's zone is shared, so not set here). */
const at = (year: number, month: number, day: number, hour: number, minute = 0) =>
  new Date(year, month - 1, day, hour, minute);
const task = (fields: Partial<Task>): Task => exampleTask({ title: "t", ...fields });

describe("groupOf at 23:30 local, 14 March 2031", () => {
  const now = at(2031, 3, 14, 23, 30);
  test.each([
    ["due an hour ago is overdue", { due_at: at(2031, 3, 14, 22, 30).toISOString() }, "overdue"],
    ["due at 23:59 is today", { due_at: at(2031, 3, 14, 23, 59).toISOString() }, "today"],
    ["due at midnight is upcoming", { due_at: at(2031, 3, 15, 0).toISOString() }, "upcoming"],
    ["without a date is in no date", {}, "none"],
    [
      "completed, due last week, is completed",
      { completed: true, due_at: at(2031, 3, 7, 9).toISOString() },
      "completed",
    ],
  ] as const)("%s", (_, fields, group) => expect(groupOf(task(fields), now)).toBe(group));
});

describe("recurrence picker", () => {
  test("reads a rule back into its fields", () => {
    expect(fromRule("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=5")).toEqual({
      frequency: "WEEKLY",
      interval: 2,
      days: ["MO", "TH"],
      ends: "count",
      count: 5,
      until: "",
    });
    expect(fromRule("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR").frequency).toBe("WEEKDAYS");
    expect(toRule(fromRule("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=5"))).toBe(
      "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=5",
    );
  });
  test("says a day of the month", () => {
    expect(describeRule("FREQ=MONTHLY;BYMONTHDAY=1")).toBe("every month on day 1");
    expect(describeRule("FREQ=MONTHLY;BYMONTHDAY=-1")).toBe("every month on the last day");
  });
});
