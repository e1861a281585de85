// One trace per user action, end to end, read back from the stack's real
// Zipkin: a recurring task created with a reminder, then completed. The
// create's trace holds the request, the relay's publishes under it, every
// consumer (audit-log, recurring, ws-sync) under the publish, todo-api's
// sidecar, and, through the Scheduler's callback, the reminder at
// notification and its contact look-up back at todo-api. The completion's
// trace holds recurring's call back to todo-api for the next occurrence.
// Every span's parent is in the trace. Log lines carry the trace's id, and the
// WebSocket frame the user's board receives carries the trace's context.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { APP_IDS } from "@todo/shared";
import { randomBytes } from "node:crypto";
import { inSeconds, newUser, type TestUser } from "../support/api.ts";
import { Mailbox } from "../support/mailbox.ts";
import { LiveSocket } from "../../services/ws-sync/test/live-socket.ts";
import { eventually, logLines, stack } from "../support/stack.ts";
import { fetchTrace, Trace } from "../support/zipkin.ts";

const zipkin = () => {
  const url = stack().observability?.zipkin;
  if (!url) throw new Error("the stack reports no Zipkin (stack.json has no observability.zipkin)");
  return url;
};

/** A traceparent of our own, so the test knows the trace id the request joins. */
function callerContext() {
  const traceId = randomBytes(16).toString("hex");
  const spanId = randomBytes(8).toString("hex");
  return { traceId, spanId, header: { traceparent: `00-${traceId}-${spanId}-01` } };
}

/** Waits until the trace satisfies `ready` (spans arrive in batches from every process), then returns it. */
async function traceWhen(traceId: string, ready: (t: Trace) => boolean): Promise<Trace> {
  let last = new Trace([]);
  await eventually(
    `trace ${traceId} complete in Zipkin`,
    async () => {
      last = new Trace(await fetchTrace(zipkin(), traceId));
      return ready(last) || undefined;
    },
    90_000,
  ).catch(() => {}); // the assertions below say what is missing
  return last;
}

let mailbox: Mailbox;
let user: TestUser;
beforeAll(async () => {
  mailbox = new Mailbox(stack().ports.smtp);
  await mailbox.open();
  user = await newUser("traced");
});
afterAll(() => mailbox.close());

describe("traces", () => {
  let taskId: number;
  const create = callerContext();

  test("a create with a reminder: one trace from the request through every consumer to the reminder email", async () => {
    const board = await LiveSocket.as(user.token);
    const res = await user.call(
      "POST",
      "/api/tasks",
      {
        title: "Feed the cat",
        due_at: inSeconds(3600),
        remind_at: inSeconds(2),
        recurrence: { rule: "FREQ=DAILY", timezone: "UTC" },
      },
      create.header,
    );
    expect(res.status).toBe(201);
    taskId = res.body.id;

    const wanted = [
      "audit-log",
      "notification",
      "notification (sidecar)",
      "recurring",
      "recurring (sidecar)",
      "todo-api",
      "todo-api (sidecar)",
      "ws-sync",
    ];
    // Each process sends its spans in batches of its own: wait until every owner is in and every link is whole.
    const trace = await traceWhen(
      create.traceId,
      (t) => wanted.every((o) => t.owners().includes(o)) && t.orphans(create.spanId).length === 0,
    );
    expect(trace.owners()).toEqual(expect.arrayContaining(wanted));
    expect(trace.orphans(create.spanId)).toEqual([]);

    const request = trace.find("todo-api", "POST /api/tasks");
    expect(request?.parentId).toBe(create.spanId);
    // The relay's publish sits under the request, though it ran after the commit.
    const publish = trace.find("todo-api", "publish task-events");
    expect(publish?.parentId).toBe(request?.id);
    for (const consumer of ["audit-log", "recurring"])
      expect({ consumer, under: trace.descends(trace.find(consumer, "consume task-events"), publish) }).toEqual({
        consumer,
        under: true,
      });
    expect(trace.descends(trace.find("ws-sync", "consume task-updates"), request)).toBe(true);
    // The Scheduler's callback continues the trace of the write that set the reminder.
    const reminder = trace.find("notification", "consume reminders");
    expect(trace.descends(reminder, trace.find("todo-api", "reminder job"))).toBe(true);
    expect(trace.descends(reminder, request)).toBe(true);
    // notification's contact look-up through the sidecars, answered by todo-api, in the same trace.
    expect(trace.descends(trace.find("todo-api", "GET /internal/users/:id/contact"), reminder)).toBe(true);

    // Log lines lead to the trace.
    const recorded = logLines(APP_IDS.notification).find(
      (l) => l.msg === "notification recorded" && l.task_id === taskId,
    );
    expect(recorded?.trace_id).toBe(create.traceId);

    // The frame the board gets names ws-sync's delivery span: same trace as the write.
    const [frame] = await board.waitForUpdates(1);
    board.close();
    expect(frame).toMatchObject({ operation: "create", task_id: taskId });
    const delivered = trace.find("ws-sync", "consume task-updates");
    expect(frame.traceparent).toBe(`00-${create.traceId}-${delivered?.id}-01`);
  });

  test("completing it: recurring's call back to todo-api for the next occurrence is in the completion's trace", async () => {
    const complete = callerContext();
    expect((await user.call("POST", `/api/tasks/${taskId}/complete`, undefined, complete.header)).status).toBe(200);
    const trace = await traceWhen(
      complete.traceId,
      (t) => t.find("todo-api", "POST /internal/occurrences") !== undefined && t.orphans(complete.spanId).length === 0,
    );
    expect(trace.orphans(complete.spanId)).toEqual([]);
    const request = trace.find("todo-api", `POST /api/tasks/:id/complete`);
    expect(request?.parentId).toBe(complete.spanId);
    // recurring consumes two task-events of this trace: the completion, then the next occurrence's
    // creation (published under the occurrence call). The call must sit under the first.
    const occurrences = trace.find("todo-api", "POST /internal/occurrences");
    const consumed = trace
      .findAll("recurring", "consume task-events")
      .find((span) => trace.descends(occurrences, span));
    expect(consumed).toBeDefined();
    expect(trace.descends(consumed, request)).toBe(true);
  });
});
