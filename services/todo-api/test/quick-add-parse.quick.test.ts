// POST /api/quick-add/parse: the quick add's reading of a sentence, checked like
// every public route (token, named 422s) and creating nothing.
import { describe, expect, test } from "bun:test";
import { newUser, request } from "../../../test/support/api.ts";

const SENTENCE = "pay rent every month on the 1st at 9am #home !high, remind me 1 hour before";

describe("POST /api/quick-add/parse", () => {
  test("401 without a token", async () => {
    const { status, body } = await request("POST", "/api/quick-add/parse", { text: SENTENCE });
    expect(status).toBe(401);
    expect(body.error.code).toBeString();
  });

  test("other methods are 405 with Allow: POST", async () => {
    const user = await newUser("parser");
    const res = await user.call("PATCH", "/api/quick-add/parse", { text: SENTENCE });
    expect(res.status).toBe(405);
  });

  test.each([
    ["no text", {}, "text"],
    ["empty text", { text: "" }, "text"],
    ["text too long", { text: "x".repeat(401) }, "text"],
    ["an unknown field", { text: "buy milk", due: "tomorrow" }, "due"],
    ["not a time zone", { text: "buy milk", timezone: "Mars/Olympus" }, "timezone"],
    ["no title left", { text: "tomorrow at 9 #home" }, "text"],
    ["a title over 200 characters", { text: `${"x".repeat(201)} tomorrow` }, "text"],
    ["a tag over 40 characters", { text: `buy milk #${"t".repeat(41)}` }, "text"],
  ])("422 naming the field: %s", async (_, payload, field) => {
    const user = await newUser("parser");
    const { status, body } = await user.call("POST", "/api/quick-add/parse", payload);
    expect(status).toBe(422);
    expect(Object.keys(body.error.fields ?? {})).toContain(field);
  });

  test("answers the fields of a new task in the caller's zone, and creates nothing", async () => {
    const user = await newUser("parser");
    const { status, body } = await user.call("POST", "/api/quick-add/parse", {
      text: SENTENCE,
      timezone: "Europe/Berlin",
    });
    expect(status).toBe(200);
    const { task } = body;
    expect(task).toMatchObject({
      title: "Pay rent",
      priority: "high",
      tags: ["home"],
      recurrence: { rule: "FREQ=MONTHLY;BYMONTHDAY=1", timezone: "Europe/Berlin" },
    });
    // The next 1st of a month at 09:00 in Berlin, after now; the reminder an hour before.
    const due = new Date(task.due_at);
    const berlin = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Berlin",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(due);
    expect(berlin).toBe("1, 09:00");
    expect(due.getTime()).toBeGreaterThan(Date.now());
    expect(Date.parse(task.remind_at)).toBe(due.getTime() - 3_600_000);
    // What it answered is a body the create route takes as it is.
    expect((await user.call("GET", "/api/tasks")).body.items).toEqual([]);
    const created = await user.call("POST", "/api/tasks", task);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...task, due_at: due.toISOString() });
  });
});
