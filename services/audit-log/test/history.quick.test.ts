// audit-log's history pages as todo-api reads them: GET /history driven in
// process through createApp(...).handle() over the trail in a real Postgres
// (the quick tier's audit database), no sidecar. Each test writes events
// for users of its own, so tests never share data.
import { afterAll, describe, expect, test } from "bun:test";
import { createLogger, DaprClient } from "@todo/shared";
import { randomUUID } from "node:crypto";
import { quickInfo } from "../../../test/support/quick.ts";
import { exampleTask } from "../../../test/support/tasks.ts";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { connect, migrate } from "../src/db/client.ts";
import { AuditTrail } from "../src/trail/store.ts";

const info = quickInfo();
if (!info) throw new Error("a quick-tier test: run it with `bun run test:quick`");

await migrate(info.auditDatabaseUrl);
const { db, sql } = connect(info.auditDatabaseUrl);
afterAll(() => sql.end());
const trail = new AuditTrail(db);
const app = createApp({
  config: loadConfig({ DATABASE_URL: info.auditDatabaseUrl, LOG_LEVEL: "error" }),
  // Port 1: nothing listens; history needs no sidecar.
  dapr: new DaprClient({ httpPort: 1 }),
  log: createLogger({ service: "audit-log", level: "error" }),
  trail,
  ping: () => sql`select 1`,
});

async function history(query: Record<string, string | number>) {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
  const res = await app.handle(new Request(`http://audit-log.quick/history?${params}`));
  return { status: res.status, body: (await res.json()) as any };
}

/** Stores five events: four of one user's (two in the same millisecond), one of another's. */
async function seed() {
  const [u1, u2] = [`h1-${randomUUID()}`, `h2-${randomUUID()}`];
  const tag = randomUUID().slice(0, 8);
  const event = (n: number, userId: string, taskId: number, at: string) => ({
    eventId: `${tag}-e${n}`,
    eventType: "updated",
    taskId,
    userId,
    eventTime: new Date(at),
    taskData: exampleTask({ id: taskId, user_id: userId }),
    source: "todo-api",
  });
  // Stored out of event-time order: pages follow the event's time, then the row id.
  for (const e of [
    event(4, u1, 1, "2026-01-01T10:00:02.000Z"),
    event(1, u1, 1, "2026-01-01T10:00:00.000Z"),
    event(2, u1, 1, "2026-01-01T10:00:00.000Z"),
    event(3, u1, 2, "2026-01-01T10:00:01.000Z"),
    event(5, u2, 3, "2026-01-01T10:00:03.000Z"),
  ])
    expect(await trail.appendAll([e])).toEqual(new Set([e.eventId]));
  const ids = (items: { event_id: string }[]) => items.map((i) => i.event_id.replace(`${tag}-`, ""));
  return { u1, u2, ids, tag };
}

describe("history pages", () => {
  test("walking a user's trail page by page yields every event once, in event-time order", async () => {
    const { u1, ids } = await seed();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof history>> = await history({
        user_id: u1,
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.status).toBe(200);
      seen.push(...ids(page.body.items));
      cursor = page.body.next_cursor;
    } while (cursor);
    // e1 and e2 share a millisecond: stored in that order, the row id orders them.
    expect(seen).toEqual(["e1", "e2", "e3", "e4"]);
  });

  test("a task's trail holds only that task's events, and a time window bounds it", async () => {
    const { u1, ids } = await seed();
    expect(ids((await history({ user_id: u1, task_id: 1 })).body.items)).toEqual(["e1", "e2", "e4"]);
    const bounded = await history({ user_id: u1, since: "2026-01-01T10:00:01Z", until: "2026-01-01T12:00:02+02:00" });
    expect(ids(bounded.body.items)).toEqual(["e3"]);
  });

  test("another user's task id reads nothing", async () => {
    const { u2 } = await seed();
    expect((await history({ user_id: u2, task_id: 1 })).body).toEqual({ items: [], next_cursor: null });
  });

  test("a redelivered event is stored once", async () => {
    const { u1, tag } = await seed();
    const again = {
      eventId: `${tag}-e1`,
      eventType: "updated",
      taskId: 1,
      userId: u1,
      eventTime: new Date("2026-01-01T10:00:00.000Z"),
      taskData: exampleTask({ id: 1, user_id: u1 }),
      source: "todo-api",
    };
    expect(await trail.appendAll([again])).toEqual(new Set());
    expect((await history({ user_id: u1 })).body.items).toHaveLength(4);
  });

  test("items carry what a client needs", async () => {
    const { u1, tag } = await seed();
    const { body } = await history({ user_id: u1, limit: 1 });
    expect(body.items).toEqual([
      {
        event_id: `${tag}-e1`,
        event_type: "updated",
        task_id: 1,
        timestamp: "2026-01-01T10:00:00.000Z",
        received_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        task_data: exampleTask({ id: 1, user_id: u1 }),
        source: "todo-api",
      },
    ]);
    expect(body.next_cursor).toBeString();
  });

  test("bad parameters are a 422 naming each", async () => {
    const { status, body } = await history({ user_id: "u1", limit: 0, since: "yesterday", cursor: "nope" });
    expect(status).toBe(422);
    expect(Object.keys(body.error.fields).sort()).toEqual(["cursor", "limit", "since"]);
  });
});
