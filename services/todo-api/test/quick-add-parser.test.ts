// Quick add (POST /api/quick-add/parse and the board's one-line field): a whole
// sentence is one new task. Same parser as the chat, so the clock is fixed
// as in chat-parser.test.ts: Thursday 30 April 2026, 10:00 UTC.
import { describe, expect, test } from "bun:test";
import { parseNewTask } from "../src/chat/parser/intents.ts";

const NOW = new Date("2026-04-30T10:00:00Z");

const payRent = (due_at: string, timezone: string): ReturnType<typeof parseNewTask> => ({
  kind: "add",
  args: {
    title: "Pay rent",
    priority: "high",
    tags: ["home"],
    due_at,
    recurrence: { rule: "FREQ=MONTHLY;BYMONTHDAY=1", timezone },
  },
});

// [sentence, expected, time zone (UTC unless given)]
const table: [string, ReturnType<typeof parseNewTask>, string?][] = [
  ["pay rent every month on the 1st at 9am #home !high", payRent("2026-05-01T09:00:00.000Z", "UTC")],
  // 09:00 in Berlin (summer time) is 07:00 UTC.
  [
    "pay rent every month on the 1st at 9am #home !high",
    payRent("2026-05-01T07:00:00.000Z", "Europe/Berlin"),
    "Europe/Berlin",
  ],
  [
    "Call Bob tomorrow at 3pm, remind me 15 minutes before",
    {
      kind: "add",
      args: { title: "Call Bob", due_at: "2026-05-01T15:00:00.000Z", remind_at: "2026-05-01T14:45:00.000Z" },
    },
  ],
  [
    "remind me to water the plants on Friday",
    {
      kind: "add",
      args: { title: "Water the plants", due_at: "2026-05-01T09:00:00.000Z", remind_at: "2026-05-01T09:00:00.000Z" },
    },
  ],
  [
    "stand-up every weekday at 9 #work #team !low",
    {
      kind: "add",
      args: {
        title: "Stand-up",
        priority: "low",
        tags: ["work", "team"],
        due_at: "2026-05-01T09:00:00.000Z",
        recurrence: { rule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", timezone: "UTC" },
      },
    },
  ],
  ["buy milk", { kind: "add", args: { title: "Buy milk" } }],
  // A verb the chat reads as a command is just the start of a title here.
  ["delete old photos #admin", { kind: "add", args: { title: "Delete old photos", tags: ["admin"] } }],
  ["add book flights !medium", { kind: "add", args: { title: "Book flights", priority: "medium" } }],
  ["tomorrow at 9 !high", { kind: "clarify", question: "What should the task be called?" }],
];

describe("quick add parser", () => {
  for (const [sentence, expected, timezone = "UTC"] of table)
    test(`${sentence} [${timezone}]`, () => expect(parseNewTask(sentence, { now: NOW, timezone })).toEqual(expected));
});
