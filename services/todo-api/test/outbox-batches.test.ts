import { describe, expect, test } from "bun:test";
import type { OutboxRow } from "../src/db/schema.ts";
import {
  BULK_MAX_BYTES,
  BULK_MAX_ENTRIES,
  carryLanes,
  deliveredInOrder,
  planPass,
  publishInOrder,
  retryDelayMs,
} from "../src/outbox/batches.ts";

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
  nextAttemptAt: new Date(),
  traceparent: null,
});

describe("planPass", () => {
  test("publish rows go per topic in id order, job rows per job and user in id order", () => {
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

describe("publishInOrder", () => {
  const ids = (rows: OutboxRow[]) => rows.map((r) => r.id);

  test("a user whose row failed in one bulk call is left out of the later calls; other users go on", async () => {
    const [a1, b1, a2, b2, c1] = ["a", "b", "a", "b", "c"].map((user) => row("publish", "task-events", user));
    const sent: number[][] = [];
    // a1 is refused in the first call; the second call would have accepted everything.
    const result = await publishInOrder(
      [
        [a1!, b1!],
        [a2!, b2!, c1!],
      ],
      async (chunk) => {
        sent.push(ids(chunk));
        return chunk.filter((r) => r === a1).map((r) => ({ id: r.id, error: "refused" }));
      },
    );
    expect(sent).toEqual([ids([a1!, b1!]), ids([b2!, c1!])]); // a2 never overtakes a1
    expect(result.done.sort()).toEqual(ids([b1!, b2!, c1!]).sort());
    expect(result.failed.map((f) => f.id)).toEqual([a1!.id]);
  });

  test("inside one call, a user's rows after its failed one are not counted delivered", async () => {
    const [a1, a2, b1] = [
      row("publish", "task-updates", "a"),
      row("publish", "task-updates", "a"),
      row("publish", "task-updates", "b"),
    ];
    const result = await publishInOrder([[a1!, a2!, b1!]], async () => [{ id: a1!.id, error: "refused" }]);
    expect(result.done).toEqual([b1!.id]);
  });

  test("a call that fails whole ends the pass for the topic: the rest is not sent", async () => {
    const chunks = [[row("publish", "reminders", "a")], [row("publish", "reminders", "b")]];
    let calls = 0;
    const result = await publishInOrder(chunks, async (chunk) => {
      calls += 1;
      return chunk.map((r) => ({ id: r.id, error: "topic not found" }));
    });
    expect(calls).toBe(1);
    expect(result.done).toEqual([]);
    expect(result.failed).toHaveLength(1);
  });
});

describe("carryLanes", () => {
  test("a lane stops at its first failure; other lanes go on", async () => {
    const lane1 = [row("schedule_job", "reminder-1", "a"), row("delete_job", "reminder-1", "a")];
    const lane2 = [row("schedule_job", "reminder-2", "a")];
    const tried: number[] = [];
    const result = await carryLanes(
      [lane1, lane2],
      async (r) => {
        tried.push(r.id);
        if (r === lane1[0]) throw new Error("unavailable");
      },
      2,
    );
    expect(tried.sort()).toEqual([lane1[0]!.id, lane2[0]!.id].sort()); // the delete never ran before its schedule
    expect(result.done).toEqual([lane2[0]!.id]);
    expect(result.failed.map((f) => f.id)).toEqual([lane1[0]!.id]);
  });

  test("a failure before any success starts no further lane: only the calls already made run", async () => {
    const lanes = Array.from({ length: 50 }, (_, i) => [row("schedule_job", `reminder-${i}`, "a")]);
    let calls = 0;
    const result = await carryLanes(
      lanes,
      async () => {
        calls += 1;
        throw new Error("timed out");
      },
      4,
    );
    expect(calls).toBe(4);
    expect(result.failed).toHaveLength(4);
  });
});

test("retryDelayMs doubles from the base and stops at the cap", () => {
  expect([0, 1, 2, 3, 10, 1000].map((n) => retryDelayMs(n, 250, 10_000))).toEqual([
    250, 500, 1000, 2000, 10_000, 10_000,
  ]);
});
