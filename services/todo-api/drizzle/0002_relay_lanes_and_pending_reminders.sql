ALTER TABLE "outbox" ADD COLUMN "next_attempt_at" timestamp (3) with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "reminder_pending_at" timestamp (3) with time zone;--> statement-breakpoint
-- Reminders still owed when this runs: a future one on an open task (its job
-- was scheduled when it was set), or a past one whose job the outbox shows
-- and whose reminders event it does not (what the sweeper used to look for).
UPDATE "tasks" SET "reminder_pending_at" = "remind_at"
WHERE NOT "completed" AND "remind_at" IS NOT NULL AND (
  "remind_at" > now()
  OR (
    EXISTS (SELECT 1 FROM "outbox" o WHERE o."kind" = 'schedule_job' AND o."target" = 'reminder-' || "tasks"."id" AND (o."payload"->>'dueTime')::timestamptz = "tasks"."remind_at")
    AND NOT EXISTS (SELECT 1 FROM "outbox" o WHERE o."kind" = 'publish' AND o."target" = 'reminders' AND (o."payload"->>'task_id')::bigint = "tasks"."id" AND (o."payload"->>'remind_at')::timestamptz = "tasks"."remind_at")
  )
);--> statement-breakpoint
CREATE INDEX "outbox_pending_lane_idx" ON "outbox" USING btree ("target","user_id","id") WHERE "outbox"."published_at" is null;--> statement-breakpoint
CREATE INDEX "tasks_reminder_pending_idx" ON "tasks" USING btree ("reminder_pending_at") WHERE "tasks"."reminder_pending_at" is not null;--> statement-breakpoint
DROP INDEX "outbox_job_target_idx";--> statement-breakpoint
DROP INDEX "tasks_open_remind_idx";
