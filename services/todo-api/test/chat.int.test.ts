// POST /api/chat without a model (nothing answers on the stack's model port,
// so the parser does the work), and the conversation kept in the Dapr state
// store, against the running stack.
import { describe, expect, test } from "bun:test";
import { newUser } from "../../../test/support/api.ts";
import { control } from "../../../test/support/stack.ts";

const berlinTomorrowAt = (hour: number) => {
  // Tomorrow's date in Berlin, then that wall-clock hour there, as UTC.
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(new Date(Date.now() + 86_400_000));
  for (const offset of ["+01:00", "+02:00"]) {
    const candidate = new Date(`${day}T${String(hour).padStart(2, "0")}:00:00${offset}`);
    const local = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Berlin",
      hour: "2-digit",
      hourCycle: "h23",
    }).format(candidate);
    if (Number(local) === hour) return candidate.toISOString();
  }
  throw new Error("no such hour");
};

describe("chat without a model", () => {
  test("adds, lists and completes tasks by title, and keeps the conversation", async () => {
    const alice = await newUser("chat");
    const first = await alice.call("POST", "/api/chat", {
      message: "add buy oat milk tomorrow at 5pm #errands",
      timezone: "Europe/Berlin",
    });
    expect(first.status).toBe(200);
    const id = first.body.conversation_id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.body.actions).toHaveLength(1);
    const [add] = first.body.actions;
    expect(add).toMatchObject({ tool: "add_task", arguments: { title: "Buy oat milk", tags: ["errands"] } });
    expect(add.result).toMatchObject({
      title: "Buy oat milk",
      due_at: berlinTomorrowAt(17),
      tags: ["errands"],
      user_id: alice.id,
    });
    expect(first.body.reply).toContain("Buy oat milk");
    // The same task REST sees: the chat went through the domain service.
    expect((await alice.call("GET", `/api/tasks/${add.result.id}`)).body).toEqual(add.result);

    // The conversation remembers the time zone.
    const listed = await alice.call("POST", "/api/chat", { conversation_id: id, message: "what's due tomorrow" });
    expect(listed.body.actions[0].tool).toBe("list_tasks");
    expect(listed.body.actions[0].result.items.map((t: { id: number }) => t.id)).toEqual([add.result.id]);

    const done = await alice.call("POST", "/api/chat", { conversation_id: id, message: "I finished buy oat milk" });
    expect(done.body.actions).toMatchObject([
      { tool: "complete_task", arguments: { id: add.result.id }, result: { completed: true } },
    ]);

    const stored = await alice.call("GET", `/api/chat/${id}`);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ conversation_id: id, timezone: "Europe/Berlin" });
    expect(stored.body.messages.map((m: { role: string }) => m.role)).toEqual([
      "user",
      "assistant",
      "user",
      "assistant",
      "user",
      "assistant",
    ]);
    expect(stored.body.messages[4].content).toBe("I finished buy oat milk");
    expect(stored.body.messages[5].actions).toEqual(done.body.actions);
  });

  test("asks which task when a title matches several, and changes nothing", async () => {
    const bob = await newUser("chat-ambiguous");
    for (const title of ["Email Carla about the lease", "Email Carla about the party"])
      await bob.call("POST", "/api/tasks", { title });
    const res = await bob.call("POST", "/api/chat", { message: "complete email carla" });
    expect(res.body.actions).toEqual([]);
    expect(res.body.reply).toContain("Which one?");
    expect(res.body.reply).toContain("the lease");
    expect(res.body.reply).toContain("the party");
    expect((await bob.call("GET", "/api/tasks?status=completed")).body.items).toEqual([]);
  });

  test("one user can neither read nor continue another's conversation", async () => {
    const [alice, mallory] = [await newUser("chat-owner"), await newUser("chat-other")];
    const { body } = await alice.call("POST", "/api/chat", { message: "add water the ferns" });
    const read = await mallory.call("GET", `/api/chat/${body.conversation_id}`);
    expect(read.status).toBe(404);
    expect(read.body.error.code).toBe("not_found");
    const cont = await mallory.call("POST", "/api/chat", {
      conversation_id: body.conversation_id,
      message: "list my tasks",
    });
    expect(cont.status).toBe(404);
    expect((await mallory.call("GET", "/api/tasks")).body.items).toEqual([]);
    expect((await alice.call("GET", `/api/chat/${body.conversation_id}`)).body.messages).toHaveLength(2);
  });

  test("rejects bad requests naming the field, and callers without a token", async () => {
    const carol = await newUser("chat-bad");
    const zone = await carol.call("POST", "/api/chat", { message: "list my tasks", timezone: "Mars/Olympus" });
    expect(zone.status).toBe(422);
    expect(zone.body.error.fields).toEqual({ timezone: "is not an IANA time zone" });
    const extra = await carol.call("POST", "/api/chat", { message: "hi", mood: "happy" });
    expect(extra.status).toBe(422);
    expect(Object.keys(extra.body.error.fields)).toContain("mood");
    expect((await carol.call("POST", "/api/chat", { message: "" })).status).toBe(422);
    expect((await carol.call("GET", "/api/chat/not-a-uuid")).status).toBe(404);
    const anonymous = await fetch(
      new URL("/api/chat", (await import("../../../test/support/stack.ts")).appUrl("todo-api")),
      { method: "POST", body: "{}", headers: { "content-type": "application/json" } },
    );
    expect(anonymous.status).toBe(401);
  });

  test("concurrent messages on one conversation are all kept", async () => {
    const dave = await newUser("chat-concurrent");
    const { body } = await dave.call("POST", "/api/chat", { message: "list my tasks" });
    const n = 10;
    const replies = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        dave.call("POST", "/api/chat", { conversation_id: body.conversation_id, message: `search for item-${i}` }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(n).fill(200));
    const stored = (await dave.call("GET", `/api/chat/${body.conversation_id}`)).body;
    expect(stored.messages).toHaveLength(2 + 2 * n);
    const asked = stored.messages
      .filter((m: { role: string }) => m.role === "user")
      .map((m: { content: string }) => m.content);
    expect(asked.sort()).toEqual(
      ["list my tasks", ...Array.from({ length: n }, (_, i) => `search for item-${i}`)].sort(),
    );
  });

  test("a conversation survives a todo-api restart: it lives in Postgres behind Dapr", async () => {
    const erin = await newUser("chat-restart");
    const { body } = await erin.call("POST", "/api/chat", { message: "add renew the passport on the 1st" });
    const before = (await erin.call("GET", `/api/chat/${body.conversation_id}`)).body;
    await control("todo-api", "stop");
    await control("todo-api", "start");
    const after = await erin.call("GET", `/api/chat/${body.conversation_id}`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before);
    const next = await erin.call("POST", "/api/chat", {
      conversation_id: body.conversation_id,
      message: "list my tasks",
    });
    expect(next.body.actions[0].result.items.map((t: { title: string }) => t.title)).toEqual(["Renew the passport"]);
    expect((await erin.call("GET", `/api/chat/${body.conversation_id}`)).body.messages).toHaveLength(4);
  });
});
