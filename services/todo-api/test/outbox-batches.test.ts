import { describe, expect, test } from "bun:test";
import type { OutboxRow } from "../src/db/schema.ts";
import { BULK_MAX_BYTES, BULK_MAX_ENTRIES, deliveredInOrder, planPass } from "../src/outbox/batches.ts";

let nextId = 1;
const row = (kind: string, target: string, userId: string, payload: unknown = { n: nextId }): OutboxRow => ({
  id: nextId++,
  kind,
  eventId: crypto.randomUUID(),
  target,
  userId,
  payload,
  createdAt: new Date(),
  publishedAt: null,
  attempts: 0,
  lastError: null,
});

describe("planPass", () => {
  test("publish rows go per topic in id order, job rows per user in id order", () => {
    const rows = [
      row("publish", "task-events", "a"),
      row("publish", "task-updates", "a"),
      row("schedule_job", "reminder-1", "a"),
      row("publish", "task-events", "b"),
      row("delete_job", "reminder-1", "a"),
      row("schedule_job", "reminder-2", "b"),
      row("publish", "task-events", "a"),
    ];
    const plan = planPass([...rows].reverse());
    expect(plan.publishes.map((p) => [p.topic, p.chunks.flat().map((r) => r.id)])).toEqual([
      ["task-events", [rows[0]!.id, rows[3]!.id, rows[6]!.id]],
      ["task-updates", [rows[1]!.id]],
    ]);
    expect(plan.jobQueues.map((q) => q.map((r) => r.id))).toEqual([[rows[2]!.id, rows[4]!.id], [rows[5]!.id]]);
  });

  test("a topic's rows are cut into bulk calls by count and by size", () => {
    const many = Array.from({ length: BULK_MAX_ENTRIES * 2 + 1 }, () => row("publish", "task-events", "a"));
    expect(planPass(many).publishes[0]!.chunks.map((c) => c.length)).toEqual([BULK_MAX_ENTRIES, BULK_MAX_ENTRIES, 1]);
    const big = "x".repeat(BULK_MAX_BYTES / 2);
    const large = Array.from({ length: 3 }, () => row("publish", "task-events", "a", { big }));
    expect(planPass(large).publishes[0]!.chunks.map((c) => c.length)).toEqual([1, 1, 1]);
  });
});

describe("deliveredInOrder", () => {
  test("a user's rows after its first failure on a topic stay undelivered; other users and topics are not held", () => {
    const [a1, b1, a2, a3, u1] = [
      row("publish", "task-events", "a"),
      row("publish", "task-events", "b"),
      row("publish", "task-events", "a"),
      row("publish", "task-events", "a"),
      row("publish", "task-updates", "a"),
    ];
    const done = deliveredInOrder([a1!, b1!, a2!, a3!, u1!], new Set([a2!.id]));
    expect(done.sort()).toEqual([a1!.id, b1!.id, u1!.id].sort());
  });

  test("no failures: everything is delivered", () => {
    const rows = [row("publish", "reminders", "a"), row("publish", "reminders", "a")];
    expect(deliveredInOrder(rows, new Set())).toEqual(rows.map((r) => r.id));
  });
});
