// The whole reminder path on the real stack: POST /api/tasks schedules a Dapr
// job, the Scheduler fires it, todo-api publishes `reminders` through Kafka,
// notification records it, asks todo-api for the address through the
// sidecars and mails a real SMTP server running in this test process.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { APP_IDS, PUBSUB, signToken, TOPICS } from "@todo/shared";
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { inSeconds, jwtSecret, newUser, request, type TestUser } from "../../../test/support/api.ts";
import { control, eventually, logLines, sidecar, stack, waitForLog } from "../../../test/support/stack.ts";
import { Mailbox } from "../../../test/support/mailbox.ts";

let mailbox: Mailbox;
let db: postgres.Sql;

beforeAll(async () => {
  mailbox = new Mailbox(stack().ports.smtp);
  await mailbox.open();
  db = postgres(stack().databases.notification!, { max: 1 });
});

afterAll(async () => {
  await mailbox.close();
  await db.end();
});

type Caller = Pick<TestUser, "call">;

async function taskWithReminder(
  user: Caller,
  remindInSeconds: number,
  title = `Call the dentist ${randomUUID().slice(0, 8)}`,
) {
  const res = await user.call("POST", "/api/tasks", {
    title,
    due_at: inSeconds(3600),
    remind_at: inSeconds(remindInSeconds),
  });
  expect(res.status).toBe(201);
  return res.body as { id: number; title: string; due_at: string; remind_at: string };
}

async function feed(user: Caller) {
  const res = await user.call("GET", "/api/notifications");
  expect(res.status).toBe(200);
  return res.body as { items: Record<string, any>[]; next_cursor: string | null; unread_count: number };
}

const feedItem = (
  user: Caller,
  taskId: number,
  ready: (item: Record<string, any>) => boolean = () => true,
  timeoutMs = 30_000,
) =>
  eventually(
    `a notification for task ${taskId}`,
    async () => (await feed(user)).items.find((i) => i.task_id === taskId && ready(i)),
    timeoutMs,
  );

const attemptsOf = (notificationId: number) =>
  db<{ attempt: number; outcome: string; error: string | null }[]>`
    select attempt, outcome, error from email_attempts where notification_id = ${notificationId} order by attempt`;

describe("a reminder", () => {
  test("due in 3 s produces exactly one email and one in-app notification, even when the event arrives twice", async () => {
    const user = await newUser("mail");
    const task = await taskWithReminder(user, 3);
    const mail = await eventually("the reminder email", () => mailbox.to(user.email)[0], 30_000);
    const latency = mail.receivedAt - Date.parse(task.remind_at);
    console.log(
      `remind_at -> email arrival: ${latency} ms (remind_at ${task.remind_at}, received ${new Date(mail.receivedAt).toISOString()})`,
    );
    expect(latency).toBeGreaterThanOrEqual(0);
    expect(mail.to).toEqual([user.email]);
    expect(mail.subject).toContain(task.title);
    const due = new Date(task.due_at);
    expect(mail.raw).toContain(
      `${String(due.getUTCHours()).padStart(2, "0")}:${String(due.getUTCMinutes()).padStart(2, "0")} UTC`,
    );

    // The same CloudEvent again, then the same reminder under a new event id.
    // The log names the event by its ids; the reminder itself is what todo-api publishes for this task.
    const received = (await waitForLog(
      APP_IDS.notification,
      (l) => l.msg === "event received" && l.task_id === task.id,
    )) as Record<string, any>;
    const reminder = {
      task_id: task.id,
      title: task.title,
      due_at: task.due_at,
      remind_at: task.remind_at,
      user_id: user.id,
    };
    const notificationSidecar = sidecar(APP_IDS.todoApi);
    await notificationSidecar.publish(PUBSUB, TOPICS.reminders, reminder, {
      partitionKey: user.id,
      eventId: received.event_id,
    });
    const copyId = randomUUID();
    await notificationSidecar.publish(PUBSUB, TOPICS.reminders, reminder, { partitionKey: user.id, eventId: copyId });
    await waitForLog(
      APP_IDS.notification,
      (l) => l.msg === "duplicate event; nothing sent again" && l.event_id === received.event_id,
    );
    await waitForLog(
      APP_IDS.notification,
      (l) => l.msg === "duplicate reminder; nothing sent again" && l.event_id === copyId,
    );
    expect(mailbox.to(user.email)).toHaveLength(1);

    const page = await feed(user);
    expect(page.items).toHaveLength(1);
    expect(page.unread_count).toBe(1);
    expect(page.items[0]).toMatchObject({
      task_id: task.id,
      title: task.title,
      due_at: task.due_at,
      remind_at: task.remind_at,
      read: false,
      email: { status: "sent", attempts: 1 },
    });
  });

  test("a notification can be marked read by its owner only", async () => {
    const user = await newUser();
    const stranger = await newUser("stranger");
    const task = await taskWithReminder(user, 1);
    const item = await feedItem(user, task.id);

    expect((await stranger.call("POST", `/api/notifications/${item.id}/read`)).status).toBe(404);
    expect((await user.call("POST", "/api/notifications/999999999999/read")).status).toBe(404);
    const res = await user.call("POST", `/api/notifications/${item.id}/read`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: item.id, read: true });
    expect(typeof res.body.read_at).toBe("string");

    const page = await feed(user);
    expect(page.items[0]).toMatchObject({ id: item.id, read: true });
    expect(page.unread_count).toBe(0);
    expect((await feed(stranger)).items).toEqual([]);
  });

  test("the feed is newest first and pages with a cursor", async () => {
    const user = await newUser();
    const older = await taskWithReminder(user, 1);
    await feedItem(user, older.id);
    const newer = await taskWithReminder(user, 1);
    await feedItem(user, newer.id);
    const first = await user.call("GET", "/api/notifications?limit=1");
    expect(first.body.items.map((i: any) => i.task_id)).toEqual([newer.id]);
    const second = await user.call("GET", `/api/notifications?limit=1&cursor=${first.body.next_cursor}`);
    expect(second.body.items.map((i: any) => i.task_id)).toEqual([older.id]);
    expect(second.body.next_cursor).toBeNull();
    expect((await user.call("GET", "/api/notifications?cursor=abc")).status).toBe(422);
  });

  test("a user without an email address still gets the in-app notification", async () => {
    const id = `no-mail-${randomUUID()}`;
    const token = await signToken(jwtSecret(), { sub: id });
    const user: Caller = {
      call: (method, path, body) => request(method, path, body, { authorization: `Bearer ${token}` }),
    };
    const task = await taskWithReminder(user, 1);
    const item = await feedItem(user, task.id, (i) => i.email.status === "no_address");
    expect(item).toMatchObject({ title: task.title, read: false, email: { attempts: 0 } });
    expect(mailbox.received.filter((m) => m.subject.includes(task.title))).toEqual([]);
  });
});

describe("when notification's database fails", () => {
  test("an email the server accepted while the database was unreachable is not sent again", async () => {
    const user = await newUser("db-outage");
    const admin = postgres(stack().databases.notification!.replace(/\/notification$/, "/postgres"), { max: 1 });
    const cutOff = async (cut: boolean) => {
      await admin.unsafe(`alter database notification allow_connections ${!cut}`);
      if (cut)
        await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = 'notification' and pid <> pg_backend_pid()`;
    };
    // The database goes away after the mail server has the message and before notification records it as sent.
    mailbox.beforeAccept = async (mail) => {
      if (mail.to.includes(user.email)) await cutOff(true);
    };
    try {
      const task = await taskWithReminder(user, 1);
      await eventually("the reminder email", () => mailbox.to(user.email)[0], 30_000);
      // notification has tried to record the send and failed: a warning naming the task (or, before the fix, the dispatcher's error).
      const failedToRecord = (l: Record<string, unknown>) =>
        (l.level === "warn" && l.task_id === task.id) || String(l.msg).startsWith("email dispatcher failed");
      await waitForLog(APP_IDS.notification, failedToRecord, 30_000);
    } finally {
      mailbox.beforeAccept = undefined;
      await cutOff(false);
      await admin.end();
    }
    // The delivery ends up sent; before the fix it was sent again once its lease ran out (60 s here).
    await eventually(
      "the delivery recorded as sent",
      async () =>
        (
          await db`select status from email_deliveries d join notifications n on n.id = d.notification_id where n.user_id = ${user.id}`
        )[0]?.status === "sent",
      120_000,
    );
    expect(mailbox.to(user.email)).toHaveLength(1);
  }, 180_000);
});

describe("when the mail server fails", () => {
  test("down for the first attempts, then up: one email arrives and every attempt is recorded", async () => {
    const user = await newUser("outage");
    await mailbox.close();
    let item: Record<string, any>;
    try {
      const task = await taskWithReminder(user, 1);
      item = await feedItem(user, task.id, (i) => i.email.attempts >= 2 && i.email.status === "pending");
    } finally {
      await mailbox.open();
    }
    await eventually("the email after the outage", () => mailbox.to(user.email)[0], 30_000);
    const sent = await feedItem(user, item.task_id, (i) => i.email.status === "sent");
    expect(mailbox.to(user.email)).toHaveLength(1);
    const attempts = await attemptsOf(item.id);
    expect(attempts.length).toBe(sent.email.attempts);
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(attempts.at(-1)).toMatchObject({ outcome: "sent", error: null });
    for (const failed of attempts.slice(0, -1)) {
      expect(failed.outcome).toBe("failed");
      expect(failed.error).toContain("ECONNREFUSED");
    }
  });

  test("down through every attempt: the delivery is marked failed, visibly", async () => {
    const user = await newUser("gone");
    await mailbox.close();
    try {
      const task = await taskWithReminder(user, 1);
      const item = await feedItem(user, task.id, (i) => i.email.status === "failed", 60_000);
      expect(item.email.attempts).toBe(6); // EMAIL_MAX_ATTEMPTS of the local stack
      expect((await attemptsOf(item.id)).map((a) => a.outcome)).toEqual(Array(6).fill("failed"));
      await waitForLog(
        APP_IDS.notification,
        (l) => l.msg === "reminder email failed for good" && l.task_id === task.id,
      );
    } finally {
      await mailbox.open();
    }
  });

  test("a recipient the server refuses for good is marked failed without retrying", async () => {
    const user = await newUser("refused");
    mailbox.refused.add(user.email.toLowerCase());
    const task = await taskWithReminder(user, 1);
    const item = await feedItem(user, task.id, (i) => i.email.status === "failed");
    expect(item.email.attempts).toBe(1);
    const [attempt] = await attemptsOf(item.id);
    expect(attempt?.error).toContain("550");
  });
});

describe("when todo-api cannot give the address", () => {
  test("an outage longer than the mail retry budget still ends in one email, with one attempt", async () => {
    const user = await newUser("lookup");
    const todo = postgres(stack().databases.todo!, { max: 1 });
    try {
      // notification is held back until todo-api is down, so its first look-up already fails.
      await control(APP_IDS.notification, "stop");
      const task = await taskWithReminder(user, 1);
      await eventually(
        "the reminders event to leave todo-api's outbox",
        async () => {
          const [row] =
            await todo`select published_at from outbox where target = ${TOPICS.reminders} and (payload->>'task_id')::int = ${task.id}`;
          return row?.published_at ?? undefined;
        },
        30_000,
      );
      await control(APP_IDS.todoApi, "stop");
      await control(APP_IDS.notification, "start");
      // More failed look-ups than the stack's EMAIL_MAX_ATTEMPTS (6): counted as attempts, they would fail the delivery.
      const failedLookups = () =>
        logLines(APP_IDS.notification).filter(
          (l) => l.task_id === task.id && String(l.error).startsWith("contact lookup failed"),
        ).length;
      const settled = async () =>
        ["sent", "failed"].includes(
          (
            await db`select status from email_deliveries d join notifications n on n.id = d.notification_id where n.task_id = ${task.id}`
          )[0]?.status,
        );
      await eventually(
        "seven failed look-ups, or a delivery no longer pending",
        async () => (failedLookups() >= 7 || (await settled()) ? true : undefined),
        30_000,
      );
    } finally {
      await control(APP_IDS.notification, "start");
      await control(APP_IDS.todoApi, "start");
      await todo.end();
    }
    const item = await eventually(
      "the delivery to settle once todo-api is back",
      async () => (await feed(user)).items.find((i) => i.email.status !== "pending"),
      30_000,
    );
    expect(item.email).toMatchObject({ status: "sent", attempts: 1 });
    expect((await attemptsOf(item.id)).map((a) => a.outcome)).toEqual(["sent"]);
    expect(mailbox.to(user.email)).toHaveLength(1);
  }, 120_000);
});
