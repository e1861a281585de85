// The audit trail against the real stack: every task change stored once,
// history served through todo-api to the owner only, redeliveries ignored,
// and rows that cannot be changed by the role the service writes with.
import { afterAll, describe, expect, test } from "bun:test";
import { APP_IDS, PUBSUB, TOPICS } from "@todo/shared";
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { newUser, type TestUser } from "../../../test/support/api.ts";
import { eventually, sidecar, stack, waitForLog } from "../../../test/support/stack.ts";
import { exampleTask } from "../../../test/support/tasks.ts";
import { connect } from "../src/db/client.ts";

const owner = postgres(stack().databases.audit!, { max: 2, onnotice: () => {} });
afterAll(() => owner.end());

const rowsOf = async (...users: string[]) =>
  Number((await owner`select count(*)::int as n from audit_events where user_id in ${owner(users)}`)[0]!.n);

/** Five changes to each of `tasks` new tasks: created, updated, completed, reopened, deleted. */
async function churn(user: TestUser, tasks: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < tasks; i++) {
    const { body: task } = await user.call("POST", "/api/tasks", { title: `audited ${i}` });
    ids.push(task.id);
    expect((await user.call("PATCH", `/api/tasks/${task.id}`, { title: `audited ${i} (renamed)` })).status).toBe(200);
    expect((await user.call("POST", `/api/tasks/${task.id}/complete`)).status).toBe(200);
    expect((await user.call("POST", `/api/tasks/${task.id}/reopen`)).status).toBe(200);
    expect((await user.call("DELETE", `/api/tasks/${task.id}`)).status).toBe(204);
  }
  return ids;
}

describe("audit trail", () => {
  test("200 changes from two users are stored exactly once each; each owner reads every task's trail in order; a stranger gets 404", async () => {
    const [alice, bob] = [await newUser("audit-a"), await newUser("audit-b")];
    const [aliceTasks, bobTasks] = await Promise.all([churn(alice, 20), churn(bob, 20)]);

    await eventually(
      "200 audit rows",
      async () => ((await rowsOf(alice.id, bob.id)) >= 200 ? true : undefined),
      60_000,
    );
    expect(await rowsOf(alice.id, bob.id)).toBe(200);
    const [distinct] =
      await owner`select count(distinct event_id)::int as n from audit_events where user_id in ${owner([alice.id, bob.id])}`;
    expect(distinct?.n).toBe(200);

    for (const [user, ids] of [
      [alice, aliceTasks],
      [bob, bobTasks],
    ] as const) {
      for (const id of ids) {
        const res = await user.call("GET", `/api/tasks/${id}/history`);
        expect(res.status).toBe(200);
        expect(res.body.items.map((i: { event_type: string }) => i.event_type)).toEqual([
          "created",
          "updated",
          "completed",
          "reopened",
          "deleted",
        ]);
        expect(res.body.items.every((i: { task_id: number }) => i.task_id === id)).toBe(true);
        expect(res.body.next_cursor).toBeNull();
      }
    }
    const [first] = (await alice.call("GET", `/api/tasks/${aliceTasks[0]}/history`)).body.items;
    expect(first).toMatchObject({
      event_type: "created",
      task_id: aliceTasks[0],
      source: APP_IDS.todoApi,
      task_data: { title: "audited 0", user_id: alice.id },
    });
    expect(first.event_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(first.received_at)).toBeGreaterThanOrEqual(Date.parse(first.timestamp));

    // Paging: the same trail two at a time, nothing skipped or repeated.
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await alice.call(
        "GET",
        `/api/tasks/${aliceTasks[1]}/history?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      paged.push(...res.body.items.map((i: { event_type: string }) => i.event_type));
      cursor = res.body.next_cursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(["created", "updated", "completed", "reopened", "deleted"]);

    // A time window: events at or after `since`, before `until`.
    const trail = (await alice.call("GET", `/api/tasks/${aliceTasks[2]}/history`)).body.items as {
      event_id: string;
      timestamp: string;
    }[];
    const [since, until] = [trail[2]!.timestamp, trail[4]!.timestamp];
    const windowed = await alice.call("GET", `/api/tasks/${aliceTasks[2]}/history?since=${since}&until=${until}`);
    expect(windowed.body.items.map((i: { event_id: string }) => i.event_id)).toEqual(
      trail.filter((i) => i.timestamp >= since && i.timestamp < until).map((i) => i.event_id),
    );
    expect(windowed.body.items.length).toBeGreaterThan(0);

    const badCursor = await alice.call("GET", `/api/tasks/${aliceTasks[2]}/history?cursor=not-a-cursor`);
    expect(badCursor.status).toBe(422);
    expect(Object.keys(badCursor.body.error.fields)).toEqual(["cursor"]);

    const stranger = await bob.call("GET", `/api/tasks/${aliceTasks[0]}/history`);
    expect(stranger.status).toBe(404);
    expect(stranger.body.error.code).toBe("not_found");
  });

  test("the same event delivered twice is stored once", async () => {
    const userId = `audit-dup-${randomUUID()}`;
    const eventId = randomUUID();
    const payload = {
      event_type: "created",
      task_id: 777,
      task_data: exampleTask({ id: 777, user_id: userId, title: "twice" }),
      user_id: userId,
      timestamp: new Date().toISOString(),
    };
    const todoApi = sidecar(APP_IDS.todoApi);
    await todoApi.publish(PUBSUB, TOPICS.taskEvents, payload, { partitionKey: userId, eventId });
    await todoApi.publish(PUBSUB, TOPICS.taskEvents, payload, { partitionKey: userId, eventId });

    await waitForLog(
      APP_IDS.auditLog,
      (l) => l.msg === "event received" && l.event_id === eventId && l.duplicate === true,
    );
    expect(await rowsOf(userId)).toBe(1);
  });

  test("the role audit-log writes with can insert and read rows but never update or delete them", async () => {
    const { sql } = connect(stack().databases.audit!, 1);
    try {
      const [who] = await sql`select current_user as role`;
      expect(who?.role).toBe("audit_writer");
      const userId = `audit-role-${randomUUID()}`;
      await sql`insert into audit_events (event_id, event_type, task_id, user_id, event_time, task_data) values (${randomUUID()}, 'created', 1, ${userId}, now(), '{}')`;
      expect(await rowsOf(userId)).toBe(1);
      // postgres.js queries are lazy thenables, not Promises: catch them to see the error.
      const update = await sql`update audit_events set event_type = 'forged' where user_id = ${userId}`.then(
        () => null,
        (e: Error) => e.message,
      );
      const remove = await sql`delete from audit_events where user_id = ${userId}`.then(
        () => null,
        (e: Error) => e.message,
      );
      expect(update).toMatch(/permission denied/);
      expect(remove).toMatch(/permission denied/);
      expect(await rowsOf(userId)).toBe(1);
    } finally {
      await sql.end();
    }
  });
});
