// The reminder email names the task and says when it is due, in words.
import { expect, test } from "bun:test";
import { composeReminder } from "../src/email/compose.ts";

test("subject and body carry the title and a readable due time", () => {
  const email = composeReminder({ title: "Pay rent", dueAt: new Date("2026-12-01T09:00:00Z"), name: "Ann" }, "UTC");
  expect(email.subject).toBe("Reminder: Pay rent (due Tuesday 1 December 2026 at 09:00 UTC)");
  expect(email.text).toContain('your task "Pay rent" is due Tuesday 1 December 2026 at 09:00 UTC.');
  expect(email.text.startsWith("Hello Ann,")).toBe(true);
});

test("the due time is written in the configured zone", () => {
  expect(composeReminder({ title: "x", dueAt: new Date("2026-07-01T09:00:00Z") }, "Europe/Berlin").subject).toContain("11:00 CEST");
});
