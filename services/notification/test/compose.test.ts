// The reminder email names the task and says when it is due, in words.
// ICU's joining words ("at", ",") change between Bun releases, so the tests
// check the parts a reader needs, not one exact string.
import { expect, test } from "bun:test";
import { composeReminder } from "../src/email/compose.ts";

const dueParts = (text: string) =>
  ["Tuesday", "1 December 2026", "09:00", "UTC"].filter((part) => !text.includes(part));

test("subject and body carry the title and a readable due time", () => {
  const email = composeReminder({ title: "Pay rent", dueAt: new Date("2026-12-01T09:00:00Z"), name: "Ann" }, "UTC");
  expect(email.subject.startsWith("Reminder: Pay rent (due ")).toBe(true);
  expect(dueParts(email.subject)).toEqual([]);
  expect(email.text).toContain('your task "Pay rent" is due ');
  expect(dueParts(email.text)).toEqual([]);
  expect(email.text.startsWith("Hello Ann,")).toBe(true);
});

test("the due time is written in the configured zone", () => {
  const subject = composeReminder({ title: "x", dueAt: new Date("2026-07-01T09:00:00Z") }, "Europe/Berlin").subject;
  expect(subject).toContain("11:00");
  expect(subject).toMatch(/CEST|GMT\+2/);
});
