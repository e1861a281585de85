// The stored conversation's byte bound: what gives way first, and that the
// newest exchange stays whole whenever it fits.
import { describe, expect, test } from "bun:test";
import { boundConversation, MAX_MESSAGES } from "../src/chat/history-bound.ts";
import type { Conversation, Message } from "../src/chat/model.ts";

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
const at = "2026-12-01T09:00:00.000Z";
const page = (n: number) => ({
  items: Array.from({ length: n }, (_, i) => ({ id: i + 1, description: "€".repeat(1000) })),
  next_cursor: null,
});
const exchange = (turn: number, resultTasks = 10): Message[] => [
  { role: "user", content: `list my tasks (${turn})`, at },
  {
    role: "assistant",
    content: `Here they are (${turn})`,
    at,
    actions: [{ tool: "list_tasks", arguments: { status: "open" }, result: page(resultTasks) }],
  },
];
const conversation = (turns: number, resultTasks = 10): Conversation => ({
  conversation_id: "6f1c2a4e-8d0b-4c39-9b8e-2f3a5c7d9e01",
  timezone: "UTC",
  created_at: at,
  updated_at: at,
  messages: Array.from({ length: turns }, (_, t) => exchange(t, resultTasks)).flat(),
});

describe("a stored conversation's byte bound", () => {
  test("a conversation within the bound is stored as it is", () => {
    const c = conversation(3);
    expect(boundConversation(c, 2, bytes(c))).toEqual(c);
  });

  test("older tool results give way first, oldest first; every message and the newest exchange stay whole", () => {
    const c = conversation(40);
    const bound = 200_000;
    const stored = boundConversation(c, 2, bound);
    expect(bytes(stored)).toBeLessThanOrEqual(bound);
    expect(stored.messages.map((m) => m.content)).toEqual(c.messages.map((m) => m.content));
    expect(stored.messages.slice(-2)).toEqual(c.messages.slice(-2));
    const kept = stored.messages
      .map((m) => (m.actions ? !(m.actions[0]!.result as { truncated?: boolean }).truncated : null))
      .filter((k) => k !== null);
    // Truncated ones form a prefix: the newest results are the ones kept.
    expect(kept).toEqual([...kept].sort((a, b) => Number(a) - Number(b)));
    expect(kept.at(0)).toBe(false);
    expect(stored.messages[1]!.actions![0]!.result).toEqual({ truncated: true, bytes: bytes(page(10)) });
  });

  test("when the words alone are too many, the oldest messages go", () => {
    const c = conversation(400, 0);
    const bound = 20_000;
    const stored = boundConversation(c, 2, bound);
    expect(bytes(stored)).toBeLessThanOrEqual(bound);
    expect(stored.messages.length).toBeLessThan(c.messages.length);
    expect(stored.messages.map((m) => m.content)).toEqual(
      c.messages.slice(-stored.messages.length).map((m) => m.content),
    );
    expect(stored.messages.slice(-2)).toEqual(c.messages.slice(-2));
  });

  test("keeps at most the newest 500 messages", () => {
    const c = conversation(260, 0);
    const stored = boundConversation(c, 2, 10 * 1024 * 1024);
    expect(stored.messages).toEqual(c.messages.slice(-MAX_MESSAGES));
  });

  test("a newest exchange that alone passes the bound loses its stored results, then arguments, then the end of its text", () => {
    const huge: Conversation = { ...conversation(1, 200), messages: exchange(0, 200) };
    huge.messages[1] = { ...huge.messages[1]!, content: "x".repeat(80_000) };
    const stored = boundConversation(huge, 2, 64 * 1024);
    expect(bytes(stored)).toBeLessThanOrEqual(64 * 1024);
    expect(stored.messages[0]).toEqual(huge.messages[0]);
    expect(stored.messages[1]!.actions![0]).toEqual({
      tool: "list_tasks",
      arguments: { truncated: true, bytes: bytes({ status: "open" }) },
      result: { truncated: true, bytes: bytes(page(200)) },
    });
    expect(stored.messages[1]!.content).toMatch(/^x+…$/);
    expect(stored.messages[1]!.content.length).toBeGreaterThan(60_000);
  });
});
