// The fan-out's pure logic, over in-memory sockets: who gets what, the
// bounded buffer, and what the replay window can and cannot vouch for.
import { describe, expect, test } from "bun:test";
import { createLogger, type TaskUpdate } from "@todo/shared";
import { CLOSE_GOING_AWAY, CLOSE_SLOW_CONSUMER, CLOSE_TOO_MANY_SOCKETS, Hub, type Client } from "../src/fanout/hub.ts";
import { ReplayWindow } from "../src/fanout/window.ts";
import { credentials, sinceParam } from "../src/socket/handshake.ts";
import { exampleTask } from "../../../test/support/tasks.ts";

const log = createLogger({ service: "test", write: () => {} });

class MemorySocket {
  sent: string[] = [];
  closed: { code: number; reason: string } | null = null;
  constructor(public buffered = 0) {}
  send(text: string) {
    this.sent.push(text);
  }
  bufferedAmount() {
    return this.buffered;
  }
  close(code: number, reason: string) {
    this.closed = { code, reason };
  }
  updates() {
    return this.sent.map((s) => JSON.parse(s)).filter((f) => f.type === undefined);
  }
  controls() {
    return this.sent.map((s) => JSON.parse(s)).filter((f) => f.type !== undefined);
  }
}

let clock = 1_000_000;
const now = () => clock;
const update = (user: string, taskId: number, at = clock): TaskUpdate => ({
  operation: "update",
  task_id: taskId,
  task_data: exampleTask({ id: taskId, user_id: user }),
  user_id: user,
  timestamp: new Date(at).toISOString(),
});
const client = (userId: string, socket = new MemorySocket()): Client & { socket: MemorySocket } => ({ userId, socket });
const roomy = { perUser: 10, users: 10, maxAgeMs: 60_000, maxBytes: 1 << 20 };
const hub = (limits: Partial<typeof roomy> = {}, maxBufferedBytes = 10_000, maxSocketsPerUser = 20) =>
  new Hub({ window: new ReplayWindow({ ...roomy, ...limits }, now), maxBufferedBytes, maxSocketsPerUser, log });

describe("fan-out", () => {
  test("each connection of a user gets that user's updates, in order; other users get none", () => {
    const h = hub();
    const [a1, a2, b] = [client("a"), client("a"), client("b")];
    for (const c of [a1, a2, b]) h.attach(c);
    clock += 10;
    for (const id of [1, 2, 3]) h.publish(update("a", id));
    h.publish(update("b", 9));
    expect(a1.socket.updates().map((u) => u.task_id)).toEqual([1, 2, 3]);
    expect(a2.socket.updates().map((u) => u.task_id)).toEqual([1, 2, 3]);
    expect(b.socket.updates().map((u) => u.task_id)).toEqual([9]);
    expect(a1.socket.controls()).toEqual([{ type: "ready", user_id: "a", replayed: 0 }]);
  });

  test("a client over its buffer bound gets resync and is closed; the others still get the update", () => {
    const h = hub(undefined, 1000);
    const [slow, fast] = [client("a", new MemorySocket(990)), client("a")];
    h.attach(slow);
    h.attach(fast);
    expect(h.publish(update("a", 1))).toBe(1);
    expect(fast.socket.updates()).toHaveLength(1);
    expect(slow.socket.updates()).toHaveLength(0);
    expect(slow.socket.controls().at(-1)).toEqual({ type: "resync", reason: "slow_consumer" });
    expect(slow.socket.closed?.code).toBe(CLOSE_SLOW_CONSUMER);
    expect(h.connections()).toBe(1);
    h.publish(update("a", 2)); // the dropped one is gone for good
    expect(slow.socket.sent).toHaveLength(2);
  });

  test("a user's socket over the cap is closed with 4429 before any frame; the others keep their feed, and a freed place can be taken", () => {
    const h = hub(undefined, undefined, 3);
    const kept = [client("a"), client("a"), client("a")];
    for (const c of kept) expect(h.attach(c)).toBe(true);
    const extra = client("a");
    expect(h.attach(extra)).toBe(false);
    expect(extra.socket.closed?.code).toBe(CLOSE_TOO_MANY_SOCKETS);
    expect(extra.socket.sent).toEqual([]);
    const other = client("b");
    expect(h.attach(other)).toBe(true); // the cap is per user
    h.publish(update("a", 1));
    expect(kept.map((c) => c.socket.updates().length)).toEqual([1, 1, 1]);
    expect(extra.socket.updates()).toEqual([]);
    h.detach(kept[0]!);
    expect(h.attach(client("a"))).toBe(true);
  });

  test("on shutdown every client is closed with 1001", () => {
    const h = hub();
    const all = [client("a"), client("a"), client("b")];
    for (const c of all) h.attach(c);
    h.closeAll();
    expect(all.map((c) => c.socket.closed?.code)).toEqual([CLOSE_GOING_AWAY, CLOSE_GOING_AWAY, CLOSE_GOING_AWAY]);
    expect(h.connections()).toBe(0);
  });

  test("a detached client gets nothing more", () => {
    const h = hub();
    const c = client("a");
    h.attach(c);
    h.detach(c);
    h.publish(update("a", 1));
    expect(c.socket.updates()).toHaveLength(0);
    expect(h.connections()).toBe(0);
  });
});

describe("replay on reconnect", () => {
  test("replays what the user missed since the timestamp it last saw, before the ready frame", () => {
    const h = hub();
    clock += 1000;
    const first = clock;
    h.publish(update("a", 1, first));
    h.publish(update("a", 2, first + 5));
    h.publish(update("b", 3, first + 6));
    const c = client("a");
    h.attach(c, first + 5);
    expect(c.socket.updates().map((u) => u.task_id)).toEqual([2]);
    expect(c.socket.controls()).toEqual([{ type: "ready", user_id: "a", replayed: 1 }]);
  });

  test("an update delivered under a trace carries its traceparent, live and replayed; one without carries none", () => {
    const h = hub();
    clock += 1000;
    const at = clock;
    const traceparent = `00-${"a".repeat(32)}-${"b".repeat(16)}-01`;
    const live = client("a");
    h.attach(live);
    h.publish(update("a", 1, at), traceparent);
    h.publish(update("a", 2, at + 1), null);
    const late = client("a");
    h.attach(late, at);
    for (const c of [live, late])
      expect(c.socket.updates().map((u) => [u.task_id, u.traceparent])).toEqual([
        [1, traceparent],
        [2, undefined],
      ]);
  });

  test("asks for a refetch when the window cannot vouch for everything since then", () => {
    clock += 1000;
    const start = clock;
    const h = hub({ perUser: 2, users: 1 });
    const before = client("a");
    h.attach(before, start - 1); // older than this instance
    expect(before.socket.controls()[0]).toEqual({ type: "resync", reason: "replay_unavailable" });

    for (const id of [1, 2, 3]) h.publish(update("a", id, start + id)); // the first falls out (2 per user)
    const overflowed = client("a");
    h.attach(overflowed, start + 1);
    expect(overflowed.socket.controls()[0]).toEqual({ type: "resync", reason: "replay_unavailable" });
    const covered = client("a");
    h.attach(covered, start + 2);
    expect(covered.socket.updates().map((u) => u.task_id)).toEqual([2, 3]);

    h.publish(update("b", 4, start + 4)); // only one user kept: a is forgotten
    const forgotten = client("a");
    h.attach(forgotten, start + 3);
    expect(forgotten.socket.controls()[0]).toEqual({ type: "resync", reason: "replay_unavailable" });
    const quiet = client("a");
    h.attach(quiet, start + 5); // after everything forgotten: nothing was missed
    expect(quiet.socket.controls()).toEqual([{ type: "ready", user_id: "a", replayed: 0 }]);
  });

  test("updates older than the window's age are not replayed", () => {
    clock += 1000;
    const h = hub({ maxAgeMs: 1000 });
    const at = clock;
    h.publish(update("a", 1, at));
    clock += 2000;
    const c = client("a");
    h.attach(c, at);
    expect(c.socket.controls()[0]).toEqual({ type: "resync", reason: "replay_unavailable" });
  });
});

describe("handshake", () => {
  test("the token comes from the offered subprotocols, or from the deprecated query; the bearer marker is what the server selects", () => {
    expect(credentials(undefined, "bearer, abc.def.ghi")).toEqual({
      token: "abc.def.ghi",
      viaQuery: false,
      protocol: "bearer",
    });
    expect(credentials(undefined, "abc.def.ghi")).toEqual({
      token: "abc.def.ghi",
      viaQuery: false,
      protocol: "abc.def.ghi",
    });
    expect(credentials("q", "bearer, abc.def.ghi")).toEqual({
      token: "abc.def.ghi",
      viaQuery: false,
      protocol: "bearer",
    });
    expect(credentials("q", null)).toEqual({ token: "q", viaQuery: true, protocol: null });
    expect(credentials(undefined, "bearer")).toEqual({ token: null, viaQuery: false, protocol: "bearer" });
    expect(credentials(undefined, null)).toEqual({ token: null, viaQuery: false, protocol: null });
  });

  test("since is a date-time or absent", () => {
    expect(sinceParam(undefined)).toBeUndefined();
    expect(sinceParam("2026-01-01T00:00:00.000Z")).toBe(Date.parse("2026-01-01T00:00:00.000Z"));
    expect(sinceParam("soon")).toBeNull();
  });
});
