// recurring against the real stack: todo-api publishes `completed` through
// Kafka, recurring computes the next occurrence and creates it through
// todo-api's sidecar, once, however often the event arrives.
import { describe, expect, test } from "bun:test";
import { APP_IDS, PUBSUB, TOPICS } from "@todo/shared";
import { randomUUID } from "node:crypto";
import { newUser, type TestUser } from "../../../test/support/api.ts";
import { control, eventually, readTopic, sidecar, waitForLog } from "../../../test/support/stack.ts";
import { exampleTask } from "../../../test/support/tasks.ts";

const BERLIN = "Europe/Berlin";
const DAY = 86_400_000;

/** The instant it is `hh:mm` in Berlin on the UTC calendar day of `day`. */
function berlinAt(day: Date, hh: number, mm = 0): string {
  for (const offset of [1, 2]) {
    const candidate = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hh - offset, mm));
    if (localTime(candidate.toISOString()) === `${String(hh).padStart(2, "0")}:${String(mm).padStart(2, "0")}`)
      return candidate.toISOString();
  }
  throw new Error("no such Berlin time");
}
const localTime = (iso: string) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: BERLIN, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(
    new Date(iso),
  );
const localDate = (iso: string) => new Intl.DateTimeFormat("en-CA", { timeZone: BERLIN }).format(new Date(iso));

const logOf = (msg: string, match: (l: Record<string, any>) => boolean) =>
  waitForLog(APP_IDS.recurring, (l) => l.msg === msg && match(l), 30_000) as Promise<Record<string, any>>;
/** The `completed` event recurring handled for a task: its id from recurring's log, its payload (never logged at info) from the task's audit trail. */
async function completedEventOf(user: TestUser, taskId: number) {
  const { event_id } = await logOf("event received", (l) => l.task_id === taskId && l.event_type === "completed");
  const stored = await eventually("the completed event in the history", async () =>
    (await user.call("GET", `/api/tasks/${taskId}/history`)).body.items?.find(
      (e: Record<string, any>) => e.event_id === event_id,
    ),
  );
  return {
    event_id,
    data: {
      event_type: "completed",
      task_id: taskId,
      task_data: stored.task_data,
      user_id: user.id,
      timestamp: stored.timestamp,
    },
  };
}

async function createRecurring(user: TestUser, body: Record<string, unknown>) {
  const res = await user.call("POST", "/api/tasks", { title: "Water the plants", ...body });
  expect(res.status).toBe(201);
  return res.body;
}

async function complete(user: TestUser, id: number) {
  const res = await user.call("POST", `/api/tasks/${id}/complete`);
  expect(res.status).toBe(200);
  return res.body;
}

const allTasks = async (user: TestUser) => {
  const res = await user.call("GET", "/api/tasks?status=all&sort=due_at&order=asc");
  expect(res.status).toBe(200);
  return res.body.items as Record<string, any>[];
};

describe("completing a recurring task", () => {
  test("a daily task gets exactly one next task, with the right due date and reminder, even when the completed event arrives twice", async () => {
    const user = await newUser();
    const dueAt = berlinAt(new Date(Date.now() + 2 * DAY), 9);
    const first = await createRecurring(user, {
      description: "the balcony too",
      priority: "high",
      tags: ["home", "garden"],
      due_at: dueAt,
      remind_at: new Date(new Date(dueAt).getTime() - 15 * 60_000).toISOString(),
      recurrence: { rule: "FREQ=DAILY", timezone: BERLIN },
    });
    await complete(user, first.id);
    const created = await logOf("next occurrence created", (l) => l.task_id === first.id);

    // The same CloudEvent again (a redelivery), then the same fact under a new id.
    const original = await completedEventOf(user, first.id);
    const todoApi = sidecar(APP_IDS.todoApi);
    await todoApi.publish(PUBSUB, TOPICS.taskEvents, original.data, {
      partitionKey: user.id,
      eventId: original.event_id,
    });
    const copyId = randomUUID();
    await todoApi.publish(PUBSUB, TOPICS.taskEvents, original.data, { partitionKey: user.id, eventId: copyId });
    await logOf("completed event already handled", (l) => l.event_id === original.event_id);
    await logOf(
      "next occurrence already existed",
      (l) => l.event_id === copyId && l.next_task_id === created.next_task_id,
    );

    const tasks = await allTasks(user);
    expect(tasks).toHaveLength(2);
    const next = tasks[1]!;
    expect(next).toMatchObject({
      id: created.next_task_id,
      title: "Water the plants",
      description: "the balcony too",
      priority: "high",
      tags: ["home", "garden"],
      completed: false,
      recurrence: { rule: "FREQ=DAILY", timezone: BERLIN },
      series_id: first.series_id,
      occurrence: 2,
    });
    expect(localDate(next.due_at)).toBe(
      localDate(new Date(new Date(dueAt).getTime() + DAY + 3 * 3600_000).toISOString()),
    );
    expect(localTime(next.due_at)).toBe("09:00");
    expect(new Date(next.due_at).getTime() - new Date(next.remind_at).getTime()).toBe(15 * 60_000);
  });

  test("a COUNT=2 series stops after its second occurrence", async () => {
    const user = await newUser();
    const first = await createRecurring(user, {
      due_at: berlinAt(new Date(Date.now() + DAY), 18),
      recurrence: { rule: "FREQ=DAILY;COUNT=2", timezone: BERLIN },
    });
    await complete(user, first.id);
    const created = await logOf("next occurrence created", (l) => l.task_id === first.id);
    await complete(user, created.next_task_id);
    await logOf("series ended", (l) => l.task_id === created.next_task_id);

    const tasks = await allTasks(user);
    expect(tasks.map((t) => [t.occurrence, t.completed])).toEqual([
      [1, true],
      [2, true],
    ]);
  });

  test("a daily 09:00 Berlin task keeps 09:00 local across the next DST change", async () => {
    // The last day before Berlin's clocks next change, at 09:00 local.
    let day = new Date(Date.now() + DAY);
    const offsetOf = (iso: string) => new Date(iso).getUTCHours();
    while (offsetOf(berlinAt(day, 9)) === offsetOf(berlinAt(new Date(day.getTime() + DAY), 9)))
      day = new Date(day.getTime() + DAY);
    const user = await newUser();
    const dueAt = berlinAt(day, 9);
    const first = await createRecurring(user, { due_at: dueAt, recurrence: { rule: "FREQ=DAILY", timezone: BERLIN } });
    await complete(user, first.id);
    const created = await logOf("next occurrence created", (l) => l.task_id === first.id);

    const next = (await user.call("GET", `/api/tasks/${created.next_task_id}`)).body;
    expect(localTime(next.due_at)).toBe("09:00");
    expect(Math.abs(new Date(next.due_at).getTime() - new Date(dueAt).getTime() - DAY)).toBe(3600_000);
    console.log(`DST case: ${dueAt} -> ${next.due_at} (both 09:00 ${BERLIN})`);
  });
});

describe("a series anchored at its first due time", () => {
  // Daily at 02:30 Berlin from the day before the 2027 spring-forward night,
  // when 02:30 does not exist (CET 02:30 is 01:30Z; CEST 02:30 is 00:30Z).
  const rule = { rule: "FREQ=DAILY", timezone: BERLIN };
  const nextOf = async (user: TestUser, id: number) =>
    (
      await user.call(
        "GET",
        `/api/tasks/${(await logOf("next occurrence created", (l) => l.task_id === id)).next_task_id}`,
      )
    ).body;

  test("a daily 02:30 task is 03:30 only on the night without 02:30, and 02:30 again after it", async () => {
    const user = await newUser();
    const first = await createRecurring(user, { due_at: "2027-03-27T01:30:00.000Z", recurrence: rule });
    expect(first.series_anchor_at).toBe("2027-03-27T01:30:00.000Z");
    await complete(user, first.id);
    const gapDay = await nextOf(user, first.id);
    expect(gapDay).toMatchObject({
      occurrence: 2,
      due_at: "2027-03-28T01:30:00.000Z",
      series_anchor_at: "2027-03-27T01:30:00.000Z",
    });
    expect(localTime(gapDay.due_at)).toBe("03:30");

    // Saving the 03:30 task without changing its time or rule keeps the series at 02:30.
    expect(
      (
        await user.call("PATCH", `/api/tasks/${gapDay.id}`, {
          title: "Water the plants",
          due_at: gapDay.due_at,
          recurrence: rule,
        })
      ).body.series_anchor_at,
    ).toBe(first.series_anchor_at);
    await complete(user, gapDay.id);
    const after = await nextOf(user, gapDay.id);
    expect(after).toMatchObject({
      occurrence: 3,
      due_at: "2027-03-29T00:30:00.000Z",
      series_anchor_at: "2027-03-27T01:30:00.000Z",
    });
    expect(localTime(after.due_at)).toBe("02:30");

    // Moving a task's due time moves the series from there on.
    const moved = await user.call("PATCH", `/api/tasks/${after.id}`, { due_at: "2027-03-29T05:00:00.000Z" });
    expect(moved.body.series_anchor_at).toBe("2027-03-29T05:00:00.000Z");
    await complete(user, after.id);
    expect(localTime((await nextOf(user, after.id)).due_at)).toBe("07:00");
  });

  test("a completed event from before the anchor existed anchors the series at its own due time", async () => {
    const user = await newUser();
    const first = await createRecurring(user, { due_at: "2027-03-28T01:30:00.000Z", recurrence: rule });
    const { series_anchor_at: _, ...older } = { ...first, completed: true, completed_at: new Date().toISOString() };
    const event = {
      event_type: "completed",
      task_id: first.id,
      task_data: older,
      user_id: user.id,
      timestamp: older.completed_at,
    };
    await sidecar(APP_IDS.todoApi).publish(PUBSUB, TOPICS.taskEvents, event, {
      partitionKey: user.id,
      eventId: randomUUID(),
    });
    const next = await nextOf(user, first.id);
    expect(next).toMatchObject({
      occurrence: 2,
      due_at: "2027-03-29T01:30:00.000Z",
      series_anchor_at: "2027-03-28T01:30:00.000Z",
    });
  });
});

describe("failures", () => {
  test("a completed event with an unusable recurring task goes to the dead-letter topic", async () => {
    const user = await newUser();
    const eventId = randomUUID();
    // A valid task by the contract, but recurring without a series: recurring's own check refuses it.
    const taskData = exampleTask({
      id: 987_654_321,
      user_id: user.id,
      title: "No series",
      completed: true,
      recurrence: { rule: "FREQ=DAILY", timezone: BERLIN },
    });
    const event = {
      event_type: "completed",
      task_id: 987_654_321,
      task_data: taskData,
      user_id: user.id,
      timestamp: new Date().toISOString(),
    };
    await sidecar(APP_IDS.todoApi).publish(PUBSUB, TOPICS.taskEvents, event, { partitionKey: user.id, eventId });
    await logOf("dropping a completed event whose task is not a usable recurring task", (l) => l.event_id === eventId);
    await readTopic(`${TOPICS.taskEvents}-dlq`, (records) => records.some((r) => r.value.includes(eventId)), 30_000);
  });

  test("while todo-api is down the event is retried, and the next task appears once it is back", async () => {
    const user = await newUser();
    const first = await createRecurring(user, {
      due_at: berlinAt(new Date(Date.now() + DAY), 7),
      recurrence: { rule: "FREQ=WEEKLY", timezone: BERLIN },
    });
    // A completed event for this task, published while todo-api's app is stopped (its sidecar stays up).
    const completed = { ...first, completed: true, completed_at: new Date().toISOString() };
    const event = {
      event_type: "completed",
      task_id: first.id,
      task_data: completed,
      user_id: user.id,
      timestamp: completed.completed_at,
    };
    const eventId = randomUUID();
    await control(APP_IDS.todoApi, "stop");
    try {
      await sidecar(APP_IDS.todoApi).publish(PUBSUB, TOPICS.taskEvents, event, { partitionKey: user.id, eventId });
      await logOf("handler failed; asking for redelivery", (l) => l.event_id === eventId);
    } finally {
      await control(APP_IDS.todoApi, "start");
    }
    const created = await logOf("next occurrence created", (l) => l.event_id === eventId);
    const next = (await user.call("GET", `/api/tasks/${created.next_task_id}`)).body;
    expect(next).toMatchObject({ series_id: first.series_id, occurrence: 2 });
    expect(new Date(next.due_at).getTime() - new Date(first.due_at).getTime()).toBe(7 * DAY);
  });
});
