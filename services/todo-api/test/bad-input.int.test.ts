// Invalid requests get the contract's 4xx, name each bad field, and change
// nothing: no task is stored and no event is published.
import { describe, expect, test } from "bun:test";
import { TOPICS } from "@todo/shared";
import { newUser, request } from "../../../test/support/api.ts";
import { readTopic } from "../../../test/support/stack.ts";

const long = (n: number) => "x".repeat(n);

const INVALID_CREATES: [string, unknown, string[]][] = [
  ["missing title", { description: "no title" }, ["title"]],
  ["blank title", { title: "   " }, ["title"]],
  ["title too long", { title: long(201) }, ["title"]],
  ["description too long", { title: "t", description: long(4001) }, ["description"]],
  ["unknown priority", { title: "t", priority: "urgent" }, ["priority"]],
  ["too many tags", { title: "t", tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, ["tags"]],
  ["tag too long", { title: "t", tags: [long(41)] }, ["tags.0"]],
  ["empty tag", { title: "t", tags: [""] }, ["tags.0"]],
  ["not a date", { title: "t", due_at: "next tuesday" }, ["due_at"]],
  ["impossible date", { title: "t", due_at: "2030-02-31T10:00:00Z" }, ["due_at"]],
  [
    "date in year 23",
    { title: "t", due_at: "0572-11-19T17:34:43.300Z", remind_at: "0023-09-17T22:02:08.4635-14:43" },
    ["remind_at"],
  ],
  ["date before 1970", { title: "t", due_at: "1969-12-31T23:59:59Z" }, ["due_at"]],
  ["date after 9999", { title: "t", due_at: "+010000-01-01T00:00:00Z" }, ["due_at"]],
  ["date without offset", { title: "t", due_at: "2030-02-01T10:00:00" }, ["due_at"]],
  [
    "reminder after due",
    { title: "t", due_at: "2030-02-01T10:00:00Z", remind_at: "2030-02-01T11:00:00Z" },
    ["remind_at"],
  ],
  ["unsupported frequency", { title: "t", recurrence: { rule: "FREQ=HOURLY", timezone: "UTC" } }, ["recurrence.rule"]],
  ["garbage rule", { title: "t", recurrence: { rule: "every day", timezone: "UTC" } }, ["recurrence.rule"]],
  [
    "COUNT with UNTIL",
    { title: "t", recurrence: { rule: "FREQ=DAILY;COUNT=3;UNTIL=20301231", timezone: "UTC" } },
    ["recurrence.rule"],
  ],
  ["bad BYDAY", { title: "t", recurrence: { rule: "FREQ=WEEKLY;BYDAY=XX", timezone: "UTC" } }, ["recurrence.rule"]],
  [
    "unknown zone",
    { title: "t", recurrence: { rule: "FREQ=DAILY", timezone: "Mars/Olympus" } },
    ["recurrence.timezone"],
  ],
  ["unknown field", { title: "t", colour: "red" }, ["colour"]],
  ["NUL in text", { title: "a\u0000b", tags: ["x\u0000"] }, ["title", "tags"]],
  ["wrong types", { title: 5, tags: "home", priority: 1 }, ["title", "tags", "priority"]],
  ["not an object", [1, 2, 3], ["body"]],
];

describe("invalid input", () => {
  test("every kind of invalid task gets 422 naming its fields, and nothing is stored or published", async () => {
    const user = await newUser("careless");
    for (const [what, body, fields] of INVALID_CREATES) {
      const res = await user.call("POST", "/api/tasks", body);
      expect({ what, status: res.status }).toEqual({ what, status: 422 });
      expect(res.body.error.code).toBe("invalid");
      for (const field of fields)
        expect({ what, fields: Object.keys(res.body.error.fields ?? {}) }).toEqual({
          what,
          fields: expect.arrayContaining([field]),
        });
    }
    expect((await user.call("GET", "/api/tasks")).body.items).toEqual([]);

    // A valid write afterwards: its events are the only ones this user ever caused.
    const ok = await user.call("POST", "/api/tasks", { title: "finally valid" });
    expect(ok.status).toBe(201);
    const records = await readTopic(TOPICS.taskEvents, (rs) => rs.some((r) => r.key === user.id));
    expect(records.filter((r) => r.key === user.id)).toHaveLength(1);
  });

  test("invalid changes leave the task as it was", async () => {
    const user = await newUser("patcher");
    const { body: task } = await user.call("POST", "/api/tasks", { title: "keep me", due_at: "2030-03-01T10:00:00Z" });
    const attempts: [unknown, string][] = [
      [{}, "body"],
      [{ title: "" }, "title"],
      [{ remind_at: "2030-03-02T10:00:00Z" }, "remind_at"],
      [{ completed: true }, "completed"],
      [{ recurrence: { rule: "FREQ=DAILY" } }, "recurrence.timezone"],
    ];
    for (const [body, field] of attempts) {
      const res = await user.call("PATCH", `/api/tasks/${task.id}`, body);
      expect({ body, status: res.status }).toEqual({ body, status: 422 });
      expect(Object.keys(res.body.error.fields ?? {})).toContain(field);
    }
    expect((await user.call("GET", `/api/tasks/${task.id}`)).body).toEqual(task);
  });

  test("malformed JSON is a 400, an id that is no row id a 422, an oversized body a 413", async () => {
    const user = await newUser("sloppy");
    const malformed = await user.call("POST", "/api/tasks", '{"title": "unclosed', {
      "content-type": "application/json",
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("malformed");
    // Not a number, zero, or past 2^53 (which a JS number cannot tell from its neighbours).
    for (const path of [
      "/api/tasks/abc",
      "/api/tasks/0",
      "/api/tasks/32589158477190044729",
      "/api/tasks/32589158477190044729/history",
    ]) {
      const badId = await user.call("GET", path);
      expect({ path, status: badId.status }).toEqual({ path, status: 422 });
      expect(Object.keys(badId.body.error.fields)).toContain("id");
    }
    const huge = await user.call("POST", "/api/tasks", { title: "big", description: long(400 * 1024) });
    expect(huge.status).toBe(413);
    expect((await user.call("GET", "/api/tasks")).body.items).toEqual([]);
  });

  test("query parameters are checked too", async () => {
    const user = await newUser("querier");
    for (const [query, field] of [
      ["status=done", "status"],
      ["sort=colour", "sort"],
      ["limit=0", "limit"],
      ["due_before=soon", "due_before"],
      ["cursor=%%%", "cursor"],
    ] as const) {
      const res = await user.call("GET", `/api/tasks?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 422 });
      expect(Object.keys(res.body.error.fields ?? {})).toContain(field);
    }
  });

  test("a cursor of the right shape holding a value its sort cannot have is a 422 naming cursor", async () => {
    const user = await newUser("forger");
    await user.call("POST", "/api/tasks", { title: "one" });
    await user.call("POST", "/api/tasks", { title: "two" });
    const forged = (s: string, o: string, v: unknown) =>
      Buffer.from(JSON.stringify({ s, o, v, i: 1 })).toString("base64url");
    const cursors: [string, string, string, unknown][] = [
      ["created_at", "created_at", "desc", "x"],
      ["created_at", "created_at", "desc", 5],
      ["due_at", "due_at", "asc", "x"],
      ["due_at", "due_at", "asc", "2030-13-45T99:00:00Z"],
      ["priority", "priority", "desc", "x"],
      ["priority", "priority", "desc", 70000],
      ["priority", "priority", "desc", 1.5],
      ["title", "title", "asc", 5],
      ["title", "title", "asc", "a\u0000b"],
    ];
    for (const [sort, s, o, v] of cursors) {
      const res = await user.call("GET", `/api/tasks?sort=${sort}&limit=1&cursor=${forged(s, o, v)}`);
      expect({ sort, v, status: res.status }).toEqual({ sort, v, status: 422 });
      expect(Object.keys(res.body.error.fields ?? {})).toEqual(["cursor"]);
    }
  });

  test("a known path with a method it does not serve answers 405 naming the allowed ones", async () => {
    const user = await newUser("methodical");
    const res = await user.call("PUT", "/api/tasks");
    expect(res.status).toBe(405);
    expect(res.body.error.code).toBe("method_not_allowed");
    expect(res.body.error.message).toContain("GET");
  });

  test("unknown routes answer 404 in the error shape", async () => {
    const res = await request("GET", "/api/nothing-here");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
  });
});
