// A long, busy conversation keeps saving: what is stored stays within the
// byte bound (the sidecar refuses a state save over its 4 MiB request-body
// limit), against the running stack's real sidecar and state store.
import { expect, test } from "bun:test";
import { newUser } from "../../../test/support/api.ts";
import { DEFAULT_HISTORY_MAX_BYTES } from "../src/chat/history-bound.ts";

const SIDECAR_BODY_LIMIT = 4 * 1024 * 1024;
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

test("a conversation whose tool results outgrow the sidecar's limit keeps saving, and keeps its newest exchange whole", async () => {
  const user = await newUser("chat-busy");
  // Twenty tasks with long descriptions (3 bytes a character): each "list my tasks"
  // answer carries about 250 KB of tasks.
  for (let i = 0; i < 20; i++) {
    const res = await user.call("POST", "/api/tasks", { title: `Long task ${i}`, description: "€".repeat(4000) });
    expect(res.status).toBe(201);
  }
  let conversation: string | undefined;
  let unbounded = 0;
  let last: { actions: unknown[] } | undefined;
  const turns = 22;
  for (let turn = 0; turn < turns; turn++) {
    const res = await user.call("POST", "/api/chat", {
      ...(conversation ? { conversation_id: conversation } : {}),
      message: `list my tasks (${turn})`,
    });
    expect({ turn, status: res.status }).toEqual({ turn, status: 200 });
    expect(res.body.actions[0].result.items).toHaveLength(20); // the reply itself is never cut
    conversation = res.body.conversation_id;
    unbounded += bytes(res.body);
    last = res.body;
  }
  expect(unbounded).toBeGreaterThan(SIDECAR_BODY_LIMIT); // stored whole, this conversation could not be saved

  const stored = await user.call("GET", `/api/chat/${conversation}`);
  expect(stored.status).toBe(200);
  expect(bytes(stored.body)).toBeLessThanOrEqual(DEFAULT_HISTORY_MAX_BYTES);
  const messages: { role: string; content: string; actions?: { result: unknown }[] }[] = stored.body.messages;
  // Every turn's words are kept, in order; the newest exchange is whole.
  expect(messages.filter((m) => m.role === "user").map((m) => m.content)).toEqual(
    Array.from({ length: turns }, (_, i) => `list my tasks (${i})`),
  );
  expect(messages.at(-1)!.actions).toEqual(last!.actions as { result: unknown }[]);
  // Older tool results were what gave way.
  expect(messages[1]!.actions![0]!.result).toMatchObject({ truncated: true });
});
