// History paging and query checks, over an in-memory trail (the real one is
// exercised against Postgres by the integration tests).
import { describe, expect, test } from "bun:test";
import { AppError } from "@todo/shared";
import type { AuditEventRow } from "../src/db/schema.ts";
import { decodeCursor, historyPage } from "../src/history/service.ts";
import type { AuditTrail, TrailQuery } from "../src/trail/store.ts";
import { exampleTask } from "../../../test/support/tasks.ts";

function memoryTrail(rows: AuditEventRow[]): AuditTrail {
  return {
    appendAll: async (events) => new Set(events.map((e) => e.eventId)),
    read: async (q: TrailQuery) =>
      rows
        .filter((r) => r.userId === q.userId && (q.taskId === undefined || r.taskId === q.taskId))
        .filter((r) => (!q.since || r.eventTime >= q.since) && (!q.until || r.eventTime < q.until))
        .filter(
          (r) =>
            !q.after ||
            r.eventTime > q.after.time ||
            (r.eventTime.getTime() === q.after.time.getTime() && r.id > q.after.id),
        )
        .sort((a, b) => a.eventTime.getTime() - b.eventTime.getTime() || a.id - b.id)
        .slice(0, q.limit),
  };
}

const row = (id: number, taskId: number, at: string, userId = "u1"): AuditEventRow => ({
  id,
  eventId: `e${id}`,
  eventType: "updated",
  taskId,
  userId,
  eventTime: new Date(at),
  receivedAt: new Date(at),
  taskData: exampleTask({ id: taskId, user_id: userId }),
  source: "todo-api",
});

const rows = [
  row(1, 1, "2026-01-01T10:00:00.000Z"),
  row(2, 1, "2026-01-01T10:00:00.000Z"), // same millisecond: the row id orders them
  row(3, 2, "2026-01-01T10:00:01.000Z"),
  row(4, 1, "2026-01-01T10:00:02.000Z"),
  row(5, 3, "2026-01-01T10:00:03.000Z", "u2"),
];

describe("history pages", () => {
  test("walking a user's trail page by page yields every event once, in event-time order", async () => {
    const trail = memoryTrail(rows);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await historyPage(trail, { user_id: "u1", limit: 2, cursor });
      seen.push(...page.items.map((i) => i.event_id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(["e1", "e2", "e3", "e4"]);
  });

  test("a task's trail holds only that task's events, and a time window bounds it", async () => {
    const trail = memoryTrail(rows);
    expect((await historyPage(trail, { user_id: "u1", task_id: 1 })).items.map((i) => i.event_id)).toEqual([
      "e1",
      "e2",
      "e4",
    ]);
    const bounded = await historyPage(trail, {
      user_id: "u1",
      since: "2026-01-01T10:00:01Z",
      until: "2026-01-01T12:00:02+02:00",
    });
    expect(bounded.items.map((i) => i.event_id)).toEqual(["e3"]);
  });

  test("another user's task id reads nothing", async () => {
    expect((await historyPage(memoryTrail(rows), { user_id: "u2", task_id: 1 })).items).toEqual([]);
  });

  test("items carry what a client needs", async () => {
    const [item] = (await historyPage(memoryTrail(rows), { user_id: "u1", limit: 1 })).items;
    expect(item).toEqual({
      event_id: "e1",
      event_type: "updated",
      task_id: 1,
      timestamp: "2026-01-01T10:00:00.000Z",
      received_at: "2026-01-01T10:00:00.000Z",
      task_data: exampleTask({ id: 1, user_id: "u1" }),
      source: "todo-api",
    });
  });

  test("bad limits, times and cursors are named together", async () => {
    const error = await historyPage(memoryTrail(rows), {
      user_id: "u1",
      limit: 0,
      since: "yesterday",
      until: "2026-01-01",
      cursor: "nope",
    }).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(Object.keys((error as AppError).fields ?? {}).sort()).toEqual(["cursor", "limit", "since", "until"]);
    expect(decodeCursor(Buffer.from(JSON.stringify({ t: "x", i: 1 })).toString("base64url"))).toBeNull();
  });

  test("a task id past 2^53 is refused, not sent to Postgres as a rounded number", async () => {
    for (const task_id of [0, 3.2589158477190046e19]) {
      const error = await historyPage(memoryTrail(rows), { user_id: "u1", task_id }).catch((e) => e);
      expect(Object.keys((error as AppError).fields ?? {})).toEqual(["task_id"]);
    }
  });
});
