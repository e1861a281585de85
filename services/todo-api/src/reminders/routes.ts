// The Scheduler's callback: the sidecar calls POST /job/<name> when a job is
// due, with the job's data as the body. 2xx means done; 404 means "not ours,
// don't retry"; anything else is retried under the job's failure policy.
import { Elysia, t } from "elysia";
import { appTokenGuard, parseTraceparent, startSpan, withSpan, type Logger } from "@todo/shared";
import { fireReminder, type FiringDeps } from "./firing.ts";
import { ReminderJobData } from "./jobs.ts";

export function jobRoutes(deps: FiringDeps, log: Logger, appToken: string | undefined) {
  return new Elysia({ prefix: "/job", detail: { hide: true } }).use(appTokenGuard(appToken)).post(
    "/reminder-:id",
    async ({ body, params, set }) => {
      // Apart from the log line's own time (after the database work), so the
      // Scheduler's lateness and our handling time can be told apart.
      const calledAt = new Date().toISOString();
      if (body.task_id !== params.id) {
        set.status = 404;
        return { status: "mismatched job" };
      }
      const parent = parseTraceparent(body.traceparent);
      const span = startSpan("reminder job", "CONSUMER", { parent, tags: { "task.id": String(body.task_id) } });
      const outcome = await withSpan(span, () => fireReminder(deps, body)).finally(() => span.end());
      log.info("reminder job fired", {
        task_id: body.task_id,
        user_id: body.user_id,
        remind_at: body.remind_at,
        called_at: calledAt,
        outcome,
      });
      return { status: outcome };
    },
    { body: ReminderJobData, params: t.Object({ id: t.Integer({ minimum: 1 }) }) },
  );
}
