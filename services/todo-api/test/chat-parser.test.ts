// The no-model chat path: what each common phrasing asks for. Pure, so the
// clock is fixed: Thursday 30 April 2026, 10:00 UTC, a month end.
import { describe, expect, test } from "bun:test";
import { parseMessage, type Intent } from "../src/chat/parser/intents.ts";

const NOW = new Date("2026-04-30T10:00:00Z");
const utc = { now: NOW, timezone: "UTC" };

// [phrasing, expected intent], in UTC unless a row says otherwise.
const table: [string, Intent, { now?: string; timezone?: string }?][] = [
  // add, with dates, priority, tags
  ["add buy milk", { kind: "add", args: { title: "Buy milk" } }],
  [
    "Add a task to call the bank tomorrow at 3pm",
    { kind: "add", args: { title: "Call the bank", due_at: "2026-05-01T15:00:00.000Z" } },
  ],
  [
    "create task: Water plants on Friday",
    { kind: "add", args: { title: "Water plants", due_at: "2026-05-01T09:00:00.000Z" } },
  ],
  ["new task pay rent on the 31st", { kind: "add", args: { title: "Pay rent", due_at: "2026-05-31T09:00:00.000Z" } }],
  ["add pay rent on the 31st at 8am", { kind: "add", args: { title: "Pay rent", due_at: "2026-05-31T08:00:00.000Z" } }],
  [
    "add submit invoices by the end of the month",
    { kind: "add", args: { title: "Submit invoices", due_at: "2026-04-30T09:00:00.000Z" } },
    { now: "2026-04-30T07:00:00Z" },
  ],
  ["add send report next month", { kind: "add", args: { title: "Send report", due_at: "2026-05-30T09:00:00.000Z" } }],
  [
    "add renew insurance on 2026-06-30 14:00",
    { kind: "add", args: { title: "Renew insurance", due_at: "2026-06-30T14:00:00.000Z" } },
  ],
  ["add book flights in 2 hours", { kind: "add", args: { title: "Book flights", due_at: "2026-04-30T12:00:00.000Z" } }],
  [
    "add file taxes with high priority tagged finance, admin",
    { kind: "add", args: { title: "File taxes", priority: "high", tags: ["finance", "admin"] } },
  ],
  [
    "add clean garage #home #weekend !low",
    { kind: "add", args: { title: "Clean garage", priority: "low", tags: ["home", "weekend"] } },
  ],
  ['todo: "Read chapter 3" low priority', { kind: "add", args: { title: "Read chapter 3", priority: "low" } }],
  ["I need to call mom tonight", { kind: "add", args: { title: "Call mom", due_at: "2026-04-30T22:00:00.000Z" } }],
  // reminders
  [
    "remind me to call Bob tomorrow at 3pm",
    {
      kind: "add",
      args: { title: "Call Bob", due_at: "2026-05-01T15:00:00.000Z", remind_at: "2026-05-01T15:00:00.000Z" },
    },
  ],
  [
    "remind me to take the pills at 9pm, 15 minutes before",
    {
      kind: "add",
      args: { title: "Take the pills", due_at: "2026-04-30T21:00:00.000Z", remind_at: "2026-04-30T20:45:00.000Z" },
    },
  ],
  [
    "remind me to leave for the airport Saturday 6am an hour before",
    {
      kind: "add",
      args: {
        title: "Leave for the airport",
        due_at: "2026-05-02T06:00:00.000Z",
        remind_at: "2026-05-02T05:00:00.000Z",
      },
    },
  ],
  [
    "add dentist on Friday at 3pm, remind me 2 hours before",
    {
      kind: "add",
      args: { title: "Dentist", due_at: "2026-05-01T15:00:00.000Z", remind_at: "2026-05-01T13:00:00.000Z" },
    },
  ],
  ["remind me 30 minutes before #12", { kind: "ref", tool: "update_task", ref: { id: 12 }, remindBeforeMinutes: 30 }],
  [
    "remind me about the dentist 2 days before",
    { kind: "ref", tool: "update_task", ref: { title: "dentist" }, remindBeforeMinutes: 2880 },
  ],
  [
    "remind me about task 7 tomorrow at 8",
    { kind: "ref", tool: "update_task", ref: { id: 7 }, patch: { remind_at: "2026-05-01T08:00:00.000Z" } },
  ],
  // recurrence
  [
    "add stand-up every weekday at 9",
    {
      kind: "add",
      args: {
        title: "Stand-up",
        due_at: "2026-05-01T09:00:00.000Z",
        recurrence: { rule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", timezone: "UTC" },
      },
    },
  ],
  [
    "add water the plants every monday and thursday at 7pm",
    {
      kind: "add",
      args: {
        title: "Water the plants",
        due_at: "2026-04-30T19:00:00.000Z",
        recurrence: { rule: "FREQ=WEEKLY;BYDAY=MO,TH", timezone: "UTC" },
      },
    },
  ],
  [
    "add pay rent every month on the last day",
    {
      kind: "add",
      args: {
        title: "Pay rent",
        due_at: "2026-04-30T09:00:00.000Z",
        recurrence: { rule: "FREQ=MONTHLY;BYMONTHDAY=-1", timezone: "UTC" },
      },
    },
    { now: "2026-04-30T08:00:00Z" },
  ],
  [
    "add back up photos every 2 weeks",
    {
      kind: "add",
      args: {
        title: "Back up photos",
        due_at: "2026-05-01T09:00:00.000Z",
        recurrence: { rule: "FREQ=WEEKLY;INTERVAL=2", timezone: "UTC" },
      },
    },
  ],
  [
    "add take vitamins daily at 8am",
    {
      kind: "add",
      args: {
        title: "Take vitamins",
        due_at: "2026-05-01T08:00:00.000Z",
        recurrence: { rule: "FREQ=DAILY", timezone: "UTC" },
      },
    },
  ],
  // time zones: the user's wall clock, with that date's offset
  [
    "add call Tokyo office today at 6pm",
    { kind: "add", args: { title: "Call Tokyo office", due_at: "2026-05-01T09:00:00.000Z" } },
    { now: "2026-04-30T20:00:00Z", timezone: "Asia/Tokyo" },
  ],
  [
    "add gym tomorrow at 9am",
    { kind: "add", args: { title: "Gym", due_at: "2026-03-08T13:00:00.000Z" } },
    { now: "2026-03-07T15:00:00Z", timezone: "America/New_York" },
  ],
  [
    "add gym tomorrow at 9am",
    { kind: "add", args: { title: "Gym", due_at: "2026-03-29T07:00:00.000Z" } },
    { now: "2026-03-28T12:00:00Z", timezone: "Europe/Berlin" },
  ],
  [
    "add stand-up every weekday at 9",
    {
      kind: "add",
      args: {
        title: "Stand-up",
        due_at: "2026-05-01T07:00:00.000Z",
        recurrence: { rule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", timezone: "Europe/Berlin" },
      },
    },
    { timezone: "Europe/Berlin" },
  ],
  [
    "add pay rent on the 31st",
    { kind: "add", args: { title: "Pay rent", due_at: "2026-05-31T07:00:00.000Z" } },
    { now: "2026-04-30T22:30:00Z", timezone: "Europe/Berlin" },
  ],
  [
    "add close the books at end of month",
    { kind: "add", args: { title: "Close the books", due_at: "2027-01-31T17:00:00.000Z" } },
    { now: "2027-01-15T12:00:00Z", timezone: "America/Los_Angeles" },
  ],
  // list with filters
  ["list my tasks", { kind: "list", args: { status: "open" } }],
  ["show completed tasks", { kind: "list", args: { status: "completed" } }],
  ["show all tasks sorted by priority", { kind: "list", args: { status: "all", sort: "priority" } }],
  [
    "what's due today",
    {
      kind: "list",
      args: {
        status: "open",
        due_after: "2026-04-30T00:00:00.000Z",
        due_before: "2026-05-01T00:00:00.000Z",
        sort: "due_at",
      },
    },
  ],
  [
    "what's due this week",
    {
      kind: "list",
      args: {
        status: "open",
        due_after: "2026-04-30T00:00:00.000Z",
        due_before: "2026-05-04T00:00:00.000Z",
        sort: "due_at",
      },
    },
  ],
  [
    "what is due today",
    {
      kind: "list",
      args: {
        status: "open",
        due_after: "2026-04-30T22:00:00.000Z",
        due_before: "2026-05-01T22:00:00.000Z",
        sort: "due_at",
      },
    },
    { now: "2026-04-30T22:30:00Z", timezone: "Europe/Berlin" },
  ],
  [
    "show overdue tasks",
    { kind: "list", args: { status: "open", due_before: "2026-04-30T10:00:00.000Z", sort: "due_at" } },
  ],
  ["list high priority tasks tagged work", { kind: "list", args: { status: "open", priority: "high", tag: ["work"] } }],
  [
    "show tasks due before friday",
    { kind: "list", args: { status: "open", due_before: "2026-05-01T09:00:00.000Z", sort: "due_at" } },
  ],
  ["search for milk", { kind: "list", args: { status: "all", q: "milk" } }],
  // complete, reopen, delete, get, by id or title
  ["complete 12", { kind: "ref", tool: "complete_task", ref: { id: 12 } }],
  ["mark task #12 as done", { kind: "ref", tool: "complete_task", ref: { id: 12 } }],
  ["I finished the quarterly report", { kind: "ref", tool: "complete_task", ref: { title: "quarterly report" } }],
  ["buy milk is done", { kind: "ref", tool: "complete_task", ref: { title: "buy milk" } }],
  ["reopen 12", { kind: "ref", tool: "reopen_task", ref: { id: 12 } }],
  ["mark 'Buy milk' as not done", { kind: "ref", tool: "reopen_task", ref: { title: "Buy milk" } }],
  ["delete task 5", { kind: "ref", tool: "delete_task", ref: { id: 5 } }],
  ["remove the dentist appointment", { kind: "ref", tool: "delete_task", ref: { title: "dentist appointment" } }],
  ["show task 9", { kind: "ref", tool: "get_task", ref: { id: 9 } }],
  // reschedule, priority, tags, rename
  [
    "move 12 to tomorrow at 10am",
    { kind: "ref", tool: "update_task", ref: { id: 12 }, patch: { due_at: "2026-05-01T10:00:00.000Z" } },
  ],
  [
    "postpone buy milk until next monday",
    { kind: "ref", tool: "update_task", ref: { title: "buy milk" }, patch: { due_at: "2026-05-04T09:00:00.000Z" } },
  ],
  ["set priority of 3 to high", { kind: "ref", tool: "update_task", ref: { id: 3 }, patch: { priority: "high" } }],
  [
    "make buy milk low priority",
    { kind: "ref", tool: "update_task", ref: { title: "buy milk" }, patch: { priority: "low" } },
  ],
  ["mark 4 as urgent", { kind: "ref", tool: "update_task", ref: { id: 4 }, patch: { priority: "high" } }],
  ["tag 3 with work, urgent", { kind: "ref", tool: "update_task", ref: { id: 3 }, addTags: ["work", "urgent"] }],
  ["remove tag work from 3", { kind: "ref", tool: "update_task", ref: { id: 3 }, removeTags: ["work"] }],
  [
    "set tags of buy milk to home and errands",
    { kind: "ref", tool: "update_task", ref: { title: "buy milk" }, patch: { tags: ["home", "errands"] } },
  ],
  ["rename 3 to Buy oat milk", { kind: "ref", tool: "update_task", ref: { id: 3 }, patch: { title: "Buy oat milk" } }],
  [
    "clear the due date of 3",
    { kind: "ref", tool: "update_task", ref: { id: 3 }, patch: { due_at: null, remind_at: null } },
  ],
  // ambiguous or incomplete: ask
  ["delete", { kind: "clarify", question: "Which task should I delete? Give its number or its title." }],
  ["move 3 to someday", { kind: "clarify", question: 'When should "3" be due? I couldn\'t read a date in "someday".' }],
  ["add", { kind: "clarify", question: "What should the task be called?" }],
  ["add task:", { kind: "clarify", question: "What should the task be called?" }],
  ["hello there", { kind: "help" }],
];

describe("chat parser", () => {
  test(`the table has at least 40 phrasings (${table.length})`, () => expect(table.length).toBeGreaterThanOrEqual(40));

  for (const [phrase, expected, clock] of table) {
    const label = clock ? `${phrase} [${clock.timezone ?? "UTC"} at ${clock.now ?? NOW.toISOString()}]` : phrase;
    test(label, () => {
      const intent = parseMessage(phrase, {
        now: clock?.now ? new Date(clock.now) : NOW,
        timezone: clock?.timezone ?? utc.timezone,
      });
      expect(intent).toEqual(expected);
    });
  }
});
