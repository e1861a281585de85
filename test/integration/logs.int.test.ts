// What users write (titles, descriptions) stays out of the consumers' logs at
// `info`, the level every environment runs at: each consumer logs the ids of
// what it handled, and the payload only at `debug`.
import { expect, test } from "bun:test";
import { APP_IDS } from "@todo/shared";
import { randomUUID } from "node:crypto";
import { LiveSocket } from "../../services/ws-sync/test/live-socket.ts";
import { inSeconds, newUser } from "../support/api.ts";
import { eventually, logLines } from "../support/stack.ts";

const CONSUMERS = [APP_IDS.auditLog, APP_IDS.recurring, APP_IDS.notification, APP_IDS.wsSync];

test("a task's title and description never appear in a consumer's log; the ids it handled do", async () => {
  const user = await newUser("private");
  const live = await LiveSocket.as(user.token);
  const title = `private title ${randomUUID()}`;
  const description = `private description ${randomUUID()}`;
  const created = await user.call("POST", "/api/tasks", {
    title,
    description,
    due_at: inSeconds(3600),
    remind_at: inSeconds(2),
    recurrence: { rule: "FREQ=DAILY", timezone: "UTC" },
  });
  expect(created.status).toBe(201);
  const taskId = created.body.id;

  // Each consumer has handled the task, as its owner sees: the reminder (which
  // carries the title) in the feed, the completion live, in the history, and
  // as the next occurrence.
  await eventually(
    "the in-app reminder",
    async () => (await user.call("GET", "/api/notifications")).body.items?.find((n: any) => n.task_id === taskId),
    60_000,
  );
  expect((await user.call("POST", `/api/tasks/${taskId}/complete`)).status).toBe(200);
  await eventually(
    "the completion on the live feed",
    () => live.updates().find((u) => u.task_id === taskId && u.operation === "complete"),
    30_000,
  );
  await eventually(
    "the completion in the history",
    async () =>
      (await user.call("GET", `/api/tasks/${taskId}/history`)).body.items?.find(
        (e: any) => e.event_type === "completed",
      ),
    30_000,
  );
  await eventually(
    "the next occurrence",
    async () =>
      (await user.call("GET", "/api/tasks?status=open")).body.items?.find(
        (t: any) => t.id !== taskId && t.title === title,
      ),
    30_000,
  );
  live.close();

  for (const app of CONSUMERS) {
    const lines = logLines(app);
    const leaked = lines.filter((l) => JSON.stringify(l).includes(title) || JSON.stringify(l).includes(description));
    expect({ app, leaked }).toEqual({ app, leaked: [] });
    expect(lines.some((l) => l.msg === "event received" && l.task_id === taskId && l.user_id === user.id)).toBe(true);
  }
});
