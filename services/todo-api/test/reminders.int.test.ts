// Reminders through the real Dapr Scheduler: a job per task, fired when due,
// yielding exactly one `reminders` event, moved or removed with the task.
import { describe, expect, test } from "bun:test";
import { APP_IDS, TOPICS } from "@todo/shared";
import { inSeconds, newUser, type TestUser } from "../../../test/support/api.ts";
import { eventually, logLines, readTopic, sidecar, waitForLog } from "../../../test/support/stack.ts";

const remindersOf = async (user: TestUser, atLeast: number, timeoutMs = 30_000) =>
  (await readTopic(TOPICS.reminders, (rs) => rs.filter((r) => r.key === user.id).length >= atLeast, timeoutMs))
    .filter((r) => r.key === user.id)
    .map((r) => JSON.parse(r.value));

const jobFired = (taskId: number) =>
  logLines(APP_IDS.todoApi).filter((l) => l.msg === "reminder job fired" && l.task_id === taskId);

describe("reminders", () => {
  test("a reminder 3 s ahead fires once and yields exactly one reminders event", async () => {
    const user = await newUser("reminded");
    const remindAt = inSeconds(3);
    const { body: task } = await user.call("POST", "/api/tasks", {
      title: "stretch",
      remind_at: remindAt,
      due_at: inSeconds(600),
    });
    const job = await eventually(
      "the reminder job",
      () =>
        sidecar(APP_IDS.todoApi)
          .getJob(`reminder-${task.id}`)
          .then((j) => j ?? undefined),
      10_000,
    );
    expect(job.dueTime).toBeDefined();

    const [event] = await remindersOf(user, 1);
    expect(event.data).toEqual({
      task_id: task.id,
      title: "stretch",
      due_at: task.due_at,
      remind_at: task.remind_at,
      user_id: user.id,
    });
    const received = await waitForLog(APP_IDS.notification, (l) => l.msg === "event received" && l.task_id === task.id);
    const fired = jobFired(task.id)[0]!;
    const lateness = {
      job: Date.parse(String(fired.time)) - Date.parse(remindAt),
      consumer: Date.parse(String(received.time)) - Date.parse(remindAt),
    };
    console.log(
      `reminder lateness: job callback +${lateness.job} ms, reminders event at notification +${lateness.consumer} ms`,
    );
    expect(lateness.job).toBeGreaterThanOrEqual(0); // never early
    // Still exactly one, a moment later.
    expect(await remindersOf(user, 1)).toHaveLength(1);
  });

  test("moving remind_at reschedules: one reminder, at the new time", async () => {
    const user = await newUser("rescheduled");
    const { body: task } = await user.call("POST", "/api/tasks", { title: "move me", remind_at: inSeconds(3) });
    const later = inSeconds(6);
    const moved = await user.call("PATCH", `/api/tasks/${task.id}`, { remind_at: later });
    expect(moved.status).toBe(200);
    const [event] = await remindersOf(user, 1);
    expect(event.data.remind_at).toBe(new Date(later).toISOString());
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(later));
    expect(await remindersOf(user, 1)).toHaveLength(1);
  });

  test("completing a task before its reminder is due means no reminder", async () => {
    const user = await newUser("early-bird");
    const remindAt = inSeconds(3);
    const { body: task } = await user.call("POST", "/api/tasks", { title: "done early", remind_at: remindAt });
    await user.call("POST", `/api/tasks/${task.id}/complete`);
    // The job is deleted through the outbox; once it is gone it cannot fire.
    await eventually(
      "the job to be deleted",
      async () => ((await sidecar(APP_IDS.todoApi).getJob(`reminder-${task.id}`)) === null ? true : undefined),
      10_000,
    );
    // Past the due time, neither a callback nor an event happened.
    await eventually(
      "the due time to pass",
      () => (Date.now() > Date.parse(remindAt) + 2000 ? true : undefined),
      10_000,
    );
    expect(jobFired(task.id)).toHaveLength(0);
    const records = await readTopic(TOPICS.reminders, () => true);
    expect(records.filter((r) => r.key === user.id)).toHaveLength(0);
  });

  test("a reminder whose job the Scheduler lost is sent once by the sweeper; one set in the past never is", async () => {
    const user = await newUser("swept");
    // Past when set: it never had a job, and must not remind.
    const { body: past } = await user.call("POST", "/api/tasks", {
      title: "too late",
      remind_at: new Date(Date.now() - 11_000).toISOString(),
    });
    const lose = async (title: string, inS: number) => {
      const { body: task } = await user.call("POST", "/api/tasks", { title, remind_at: inSeconds(inS) });
      await eventually(
        "the reminder job",
        () =>
          sidecar(APP_IDS.todoApi)
            .getJob(`reminder-${task.id}`)
            .then((j) => j ?? undefined),
        10_000,
      );
      // What the fault suite once saw the Scheduler do: the job gone, never fired.
      await sidecar(APP_IDS.todoApi).deleteJob(`reminder-${task.id}`);
      return task as { id: number; remind_at: string };
    };
    const swept = (taskId: number) =>
      waitForLog(
        APP_IDS.todoApi,
        (l) => l.msg === "reminder job never fired; sent by the sweeper" && l.task_id === taskId,
        30_000,
      );
    const first = await lose("lost job", 2);
    const firstSwept = await swept(first.id);
    // The stack's grace is 10 s: not before, so a job that is merely late still fires on its own.
    expect(Date.parse(String(firstSwept.time)) - Date.parse(first.remind_at)).toBeGreaterThanOrEqual(10_000);
    // Ten more sweeps (one a second here) pass before the second is sent: none may repeat the first or send the past one.
    const second = await lose("lost job 2", 1);
    await swept(second.id);
    const events = await remindersOf(user, 2);
    expect(events.map((e) => e.data.task_id).sort()).toEqual([first.id, second.id].sort());
    expect(events.find((e) => e.data.task_id === first.id).data.remind_at).toBe(first.remind_at);
    expect(jobFired(first.id)).toHaveLength(0);
    expect(events.some((e) => e.data.task_id === past.id)).toBe(false);
  }, 90_000);

  test("a reminder completed before its time and reopened after it is not sent by the sweeper", async () => {
    const user = await newUser("reopened");
    const remindAt = inSeconds(2);
    const { body: task } = await user.call("POST", "/api/tasks", { title: "done, then undone", remind_at: remindAt });
    await eventually(
      "the reminder job",
      () =>
        sidecar(APP_IDS.todoApi)
          .getJob(`reminder-${task.id}`)
          .then((j) => j ?? undefined),
      10_000,
    );
    await user.call("POST", `/api/tasks/${task.id}/complete`);
    await eventually(
      "the job to be deleted",
      async () => ((await sidecar(APP_IDS.todoApi).getJob(`reminder-${task.id}`)) === null ? true : undefined),
      10_000,
    );
    await eventually("the reminder time to pass", () => (Date.now() > Date.parse(remindAt) ? true : undefined), 10_000);
    // Reopened after remind_at: no job is wanted any more, and no reminder.
    expect((await user.call("POST", `/api/tasks/${task.id}/reopen`)).status).toBe(200);

    // A later reminder of the same user whose job is lost: once the sweeper has sent it, it has looked at the reopened one too.
    const { body: marker } = await user.call("POST", "/api/tasks", { title: "marker", remind_at: inSeconds(1) });
    await eventually(
      "the marker's job",
      () =>
        sidecar(APP_IDS.todoApi)
          .getJob(`reminder-${marker.id}`)
          .then((j) => j ?? undefined),
      10_000,
    );
    await sidecar(APP_IDS.todoApi).deleteJob(`reminder-${marker.id}`);
    await waitForLog(
      APP_IDS.todoApi,
      (l) => l.msg === "reminder job never fired; sent by the sweeper" && l.task_id === marker.id,
      30_000,
    );
    // One user's reminders are published in the order they were written: the marker's being there means an earlier one would be too.
    const events = await remindersOf(user, 1);
    expect(events.map((e) => e.data.task_id)).toEqual([marker.id]);
  }, 90_000);
});
