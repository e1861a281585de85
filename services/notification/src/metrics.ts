// notification's own metrics: how late reminders arrive here (from the
// reminder's remind_at to the event reaching this service) and how each
// email attempt went at the mail server.
import { counter, histogram } from "@todo/shared";

/** Lateness buckets in seconds: on time is well under a second; the alert looks at p99 > 5 s. */
const LATENESS_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900];

export const reminderLateness = histogram({
  name: "todo_reminder_lateness_seconds",
  help: "Time from a reminder's remind_at to its event reaching notification (first delivery only).",
  buckets: LATENESS_BUCKETS,
});

export type EmailAttemptResult = "sent" | "failed" | "failed_permanently";

export const emailAttemptCounter = counter({
  name: "todo_email_attempts_total",
  help: "Reminder emails handed to the mail server, by result (a failure is retried unless permanent).",
  labelNames: ["result"],
});
for (const result of ["sent", "failed", "failed_permanently"] satisfies EmailAttemptResult[])
  emailAttemptCounter.inc({ result }, 0);

/** Seconds since `remindAt`, never negative (a reminder swept early by the grace rule is on time). */
export function observeLateness(remindAt: string | Date, now = Date.now()): void {
  reminderLateness.observe(Math.max(0, (now - new Date(remindAt).getTime()) / 1000));
}
