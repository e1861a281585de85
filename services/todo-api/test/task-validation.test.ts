// The one validator of each task request (src/tasks/validate.ts), rule by
// rule, with no infrastructure: what each bad input is answered with (the 422
// and the fields it names) and what a good one is normalized to.
import { describe, expect, test } from "bun:test";
import { AppError } from "@todo/shared";
import type { TaskRow } from "../src/db/schema.ts";
import { validateChatRequest } from "../src/chat/model.ts";
import {
  applyChanges,
  type TaskChanges,
  validateOccurrence,
  validateTaskCreate,
  validateTaskPatch,
} from "../src/tasks/validate.ts";

const long = (n: number) => "x".repeat(n);

/** The fields a validator's 422 names with their messages, or "valid" when it returns. */
function verdict(validate: () => unknown): Record<string, string> | "valid" {
  try {
    validate();
    return "valid";
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    expect(err.status).toBe(422);
    expect(err.code).toBe("invalid");
    return err.fields ?? {};
  }
}

/** The fields a validator's 422 names; it must refuse the input. */
function fieldsOf(validate: () => unknown): Record<string, string> {
  const answer = verdict(validate);
  if (answer === "valid") throw new Error("the validator accepted the input");
  return answer;
}

const RANGE = "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z";

// [what, body, every field the 422 names, or a message for one of them]
const BAD_CREATES: [string, unknown, Record<string, unknown>][] = [
  // The shape, from the contract's schema.
  ["not an object", [1, 2], { body: expect.any(String) }],
  ["missing title", { description: "no title" }, { title: expect.any(String) }],
  ["title too long", { title: long(201) }, { title: expect.any(String) }],
  ["description too long", { title: "t", description: long(4001) }, { description: expect.any(String) }],
  ["unknown priority", { title: "t", priority: "urgent" }, { priority: expect.any(String) }],
  ["too many tags", { title: "t", tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, { tags: expect.any(String) }],
  ["empty tag", { title: "t", tags: [""] }, { "tags.0": expect.any(String) }],
  ["unknown field", { title: "t", colour: "red" }, { colour: expect.any(String) }],
  [
    "wrong types, all named",
    { title: 5, tags: "home", priority: 1 },
    { title: expect.any(String), tags: expect.any(String), priority: expect.any(String) },
  ],
  ["not a date-time", { title: "t", due_at: "next tuesday" }, { due_at: expect.any(String) }],
  ["date-time without offset", { title: "t", due_at: "2030-02-01T10:00:00" }, { due_at: expect.any(String) }],
  [
    "recurrence without a zone: the variant's field, not the union's",
    { title: "t", recurrence: { rule: "FREQ=DAILY" } },
    { "recurrence.timezone": expect.any(String) },
  ],
  // The rules a schema cannot state.
  ["blank title", { title: "   " }, { title: "must not be blank" }],
  [
    "NUL characters",
    { title: "a\u0000b", description: "\u0000", tags: ["x\u0000"] },
    {
      title: "must not contain NUL characters",
      description: "must not contain NUL characters",
      tags: "must not contain NUL characters",
    },
  ],
  ["a tag blank once trimmed", { title: "t", tags: ["   "] }, { tags: "each tag needs 1 to 40 characters" }],
  ["February 31st", { title: "t", due_at: "2030-02-31T10:00:00Z" }, { due_at: "is not a valid date-time" }],
  ["hour 24", { title: "t", remind_at: "2030-02-01T24:00:00Z" }, { remind_at: "is not a valid date-time" }],
  ["before 1970", { title: "t", due_at: "1969-12-31T23:59:59Z" }, { due_at: RANGE }],
  ["year 23", { title: "t", remind_at: "0023-09-17T22:02:08.4635-14:43" }, { remind_at: RANGE }],
  [
    "reminder after the due time",
    { title: "t", due_at: "2030-02-01T10:00:00Z", remind_at: "2030-02-01T11:00:00Z" },
    { remind_at: "must not be after due_at" },
  ],
  [
    "a bad due time is named alone, not also as a reminder after it",
    { title: "t", due_at: "1969-01-01T00:00:00Z", remind_at: "2030-02-01T11:00:00Z" },
    { due_at: RANGE },
  ],
  [
    "unsupported frequency",
    { title: "t", recurrence: { rule: "FREQ=HOURLY", timezone: "UTC" } },
    { "recurrence.rule": "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY" },
  ],
  [
    "COUNT with UNTIL",
    { title: "t", recurrence: { rule: "FREQ=DAILY;COUNT=3;UNTIL=20301231", timezone: "UTC" } },
    { "recurrence.rule": "COUNT and UNTIL cannot be combined" },
  ],
  [
    "a part recurring cannot honour",
    { title: "t", recurrence: { rule: "FREQ=DAILY;BYHOUR=9", timezone: "UTC" } },
    { "recurrence.rule": expect.stringContaining("BYHOUR is not supported") },
  ],
  [
    "unknown zone",
    { title: "t", recurrence: { rule: "FREQ=DAILY", timezone: "Mars/Olympus" } },
    { "recurrence.timezone": "is not an IANA time zone" },
  ],
  [
    "every rule problem at once",
    { title: " ", due_at: "2030-02-30T00:00:00Z", recurrence: { rule: "FREQ=SECONDLY", timezone: "Nowhere" } },
    {
      title: "must not be blank",
      due_at: "is not a valid date-time",
      "recurrence.rule": expect.any(String),
      "recurrence.timezone": "is not an IANA time zone",
    },
  ],
];

describe("validateTaskCreate", () => {
  test.each(BAD_CREATES)("422: %s", (_, body, fields) => {
    expect(verdict(() => validateTaskCreate(body)) as unknown).toEqual(fields);
  });

  test("a tool's whole-value problem is named `arguments`, not `body`", () => {
    expect(Object.keys(fieldsOf(() => validateTaskCreate("add milk", "arguments")))).toEqual(["arguments"]);
  });

  test("normalizes: trimmed title, tags lower-cased and de-duplicated, dates in UTC, canonical rule", () => {
    expect(
      validateTaskCreate({
        title: "  Water the plants ",
        priority: "high",
        tags: [" Home", "garden", "home "],
        due_at: "2030-05-01T10:00:00+02:00",
        remind_at: "2030-05-01T07:30:00Z",
        recurrence: { rule: "RRULE:freq=weekly;byday=mo,th", timezone: "Europe/Berlin" },
      }),
    ).toEqual({
      title: "Water the plants",
      description: "",
      priority: 2,
      tags: ["home", "garden"],
      dueAt: new Date("2030-05-01T08:00:00Z"),
      remindAt: new Date("2030-05-01T07:30:00Z"),
      recurrenceRule: "FREQ=WEEKLY;BYDAY=MO,TH",
      recurrenceTimezone: "Europe/Berlin",
      // A new series starts at its due time.
      seriesAnchorAt: new Date("2030-05-01T08:00:00Z"),
    });
  });

  test("defaults: medium priority, no tags, no dates, no recurrence", () => {
    expect(validateTaskCreate({ title: "Call mum" })).toEqual({
      title: "Call mum",
      description: "",
      priority: 1,
      tags: [],
      dueAt: null,
      remindAt: null,
      recurrenceRule: null,
      recurrenceTimezone: null,
      seriesAnchorAt: null,
    });
  });
});

describe("validateTaskPatch", () => {
  const BAD_PATCHES: [string, unknown, Record<string, unknown>][] = [
    ["no field", {}, { body: "name at least one field to change" }],
    ["empty title", { title: "" }, { title: expect.any(String) }],
    ["a field no patch may set", { completed: true }, { completed: expect.any(String) }],
    ["blank title", { title: " \t" }, { title: "must not be blank" }],
    [
      "reminder after due time, both given",
      { due_at: "2030-03-01T10:00:00Z", remind_at: "2030-03-01T11:00:00Z" },
      { remind_at: "must not be after due_at" },
    ],
    [
      "recurrence without a zone",
      { recurrence: { rule: "FREQ=DAILY" } },
      { "recurrence.timezone": expect.any(String) },
    ],
  ];
  test.each(BAD_PATCHES)("422: %s", (_, body, fields) => {
    expect(verdict(() => validateTaskPatch(body)) as unknown).toEqual(fields);
  });

  test("returns only what the patch changes, normalized; null clears", () => {
    expect(validateTaskPatch({ priority: "low", tags: ["B", "b"], remind_at: null })).toEqual({
      priority: 0,
      tags: ["b"],
      remindAt: null,
    });
    expect(validateTaskPatch({ recurrence: null, due_at: null })).toEqual({
      recurrenceRule: null,
      recurrenceTimezone: null,
      dueAt: null,
    });
  });
});

describe("applyChanges: the rule that needs the stored task", () => {
  const stored: TaskRow = {
    id: 1,
    userId: "u1",
    title: "keep me",
    description: "",
    priority: 1,
    tags: [],
    completed: false,
    completedAt: null,
    dueAt: new Date("2030-03-01T10:00:00Z"),
    remindAt: new Date("2030-03-01T09:00:00Z"),
    reminderPendingAt: null,
    recurrenceRule: "FREQ=DAILY",
    recurrenceTimezone: "UTC",
    seriesId: "6f1c2a4e-8d0b-4c39-9b8e-2f3a5c7d9e01",
    occurrence: 3,
    seriesAnchorAt: new Date("2030-01-01T10:00:00Z"),
    createdAt: new Date("2030-01-01T00:00:00Z"),
    updatedAt: new Date("2030-01-01T00:00:00Z"),
    search: "",
  };
  const apply = (changes: TaskChanges) => verdict(() => applyChanges(stored, changes));

  test.each([
    ["a reminder after the stored due time", { remindAt: new Date("2030-03-01T11:00:00Z") }],
    ["a due time before the stored reminder", { dueAt: new Date("2030-03-01T08:00:00Z") }],
  ])("422 naming remind_at: %s", (_, changes) => {
    expect(apply(changes)).toEqual({ remind_at: "must not be after due_at" });
  });

  test("a change that leaves due time and rule alone keeps the series' anchor; moving the due time restarts it", () => {
    expect(applyChanges(stored, { title: "renamed" })).toMatchObject({
      title: "renamed",
      seriesAnchorAt: stored.seriesAnchorAt,
    });
    const due = new Date("2030-03-02T10:00:00Z");
    expect(applyChanges(stored, { dueAt: due, remindAt: null })).toMatchObject({ dueAt: due, seriesAnchorAt: due });
    expect(applyChanges(stored, { recurrenceRule: null, recurrenceTimezone: null }).seriesAnchorAt).toBeNull();
  });

  test("only a task's own fields come back, never its id, owner or timestamps", () => {
    expect(Object.keys(applyChanges(stored, { title: "x" })).sort()).toEqual(
      Object.keys(validateTaskCreate({ title: "x" })).sort(),
    );
  });
});

describe("validateOccurrence", () => {
  const next = {
    user_id: "u1",
    series_id: "6f1c2a4e-8d0b-4c39-9b8e-2f3a5c7d9e01",
    occurrence: 2,
    title: "Water the plants",
    due_at: "2030-05-08T08:00:00Z",
    recurrence: { rule: "FREQ=WEEKLY", timezone: "Europe/Berlin" },
    series_anchor_at: "2030-05-01T08:00:00Z",
  };

  test("whose series, which occurrence, and the task's fields, anchored where the series began", () => {
    expect(validateOccurrence(next)).toEqual({
      userId: "u1",
      seriesId: next.series_id,
      occurrence: 2,
      fields: expect.objectContaining({
        title: "Water the plants",
        dueAt: new Date("2030-05-08T08:00:00Z"),
        recurrenceRule: "FREQ=WEEKLY",
        seriesAnchorAt: new Date("2030-05-01T08:00:00Z"),
      }),
    });
  });

  test("without an anchor (an older recurring), the due time is the anchor", () => {
    const { series_anchor_at: _, ...older } = next;
    expect(validateOccurrence(older).fields.seriesAnchorAt).toEqual(new Date("2030-05-08T08:00:00Z"));
  });

  test.each([
    ["the first occurrence is the user's own task", { ...next, occurrence: 1 }, ["occurrence"]],
    ["a series id that is no UUID", { ...next, series_id: "s1" }, ["series_id"]],
    ["no user", { ...next, user_id: "" }, ["user_id"]],
    ["the task's rules hold too", { ...next, title: "  " }, ["title"]],
  ])("422: %s", (_, body, fields) => {
    expect(Object.keys(fieldsOf(() => validateOccurrence(body)))).toEqual(fields);
  });
});

describe("validateChatRequest", () => {
  test.each([
    [
      "a zone that does not exist",
      { message: "hi", timezone: "Mars/Olympus" },
      { timezone: "is not an IANA time zone" },
    ],
    ["no message", { timezone: "UTC" }, { message: expect.any(String) }],
    ["an unknown field", { message: "hi", mood: "happy" }, { mood: expect.any(String) }],
  ])("422: %s", (_, body, fields) => {
    expect(verdict(() => validateChatRequest(body)) as unknown).toEqual(fields);
  });

  test("a good request comes back as it was", () => {
    expect(validateChatRequest({ message: "hi", timezone: "Europe/Berlin" })).toEqual({
      message: "hi",
      timezone: "Europe/Berlin",
    });
  });
});
