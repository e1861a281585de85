// Live sync against the real stack: REST writes on todo-api reach each
// owner's sockets through Kafka and ws-sync, in order, and nobody else's.
import { describe, expect, test } from "bun:test";
import { APP_IDS } from "@todo/shared";
import { newUser, type TestUser } from "../../../test/support/api.ts";
import { logLines } from "../../../test/support/stack.ts";
import { LiveSocket, wsUrl } from "./live-socket.ts";

interface Write {
  user: TestUser;
  operation: string;
  taskId: number;
  /** performance.now() when the REST call was sent. */
  sentAt: number;
}

/** A few changes per task: create, update, complete; returns them in the order they were made. */
async function writeSome(user: TestUser, tasks: number, log: Write[]): Promise<void> {
  for (let i = 0; i < tasks; i++) {
    let sentAt = performance.now();
    const { body: task } = await user.call("POST", "/api/tasks", { title: `live ${i}` });
    log.push({ user, operation: "create", taskId: task.id, sentAt });
    sentAt = performance.now();
    await user.call("PATCH", `/api/tasks/${task.id}`, { priority: "high" });
    log.push({ user, operation: "update", taskId: task.id, sentAt });
    sentAt = performance.now();
    await user.call("POST", `/api/tasks/${task.id}/complete`);
    log.push({ user, operation: "complete", taskId: task.id, sentAt });
  }
}

const shape = (u: { operation: string; task_id: number }) => `${u.operation}:${u.task_id}`;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

describe("live sync", () => {
  test("two users, three sockets: each socket gets exactly its user's updates in order; a bad token gets 1008 and nothing", async () => {
    const [alice, bob] = [await newUser("live-a"), await newUser("live-b")];
    const aliceByProtocol = await LiveSocket.as(alice.token);
    // The deprecated query form still works, and says so in the log.
    const aliceByQuery = await LiveSocket.open(wsUrl({ token: alice.token }));
    const bobSocket = await LiveSocket.as(bob.token);
    const forged = await LiveSocket.as(`${alice.token.slice(0, -4)}AAAA`);
    const anonymous = await LiveSocket.open(wsUrl());
    expect(aliceByProtocol.ws.protocol).toBe("bearer");
    const deprecated = logLines(APP_IDS.wsSync).filter(
      (l) => l.msg === "token sent in the query string (deprecated)" && l.user_id === alice.id,
    );
    expect(deprecated).toHaveLength(1);

    const writes: Write[] = [];
    await Promise.all([writeSome(alice, 20, writes), writeSome(bob, 20, writes)]);
    const expected = (user: TestUser) => writes.filter((w) => w.user === user).map((w) => `${w.operation}:${w.taskId}`);

    for (const [socket, user] of [
      [aliceByQuery, alice],
      [aliceByProtocol, alice],
      [bobSocket, bob],
    ] as const) {
      const updates = await socket.waitForUpdates(60, 30_000);
      expect(updates.map(shape)).toEqual(expected(user));
      expect(updates.every((u) => u.user_id === user.id && u.task_data.user_id === user.id)).toBe(true);
    }
    for (const refused of [forged, anonymous]) {
      await refused.waitForClose();
      expect(refused.closed!.code).toBe(1008);
      expect(refused.frames).toHaveLength(0);
    }

    // REST write sent -> WebSocket frame received, per update on one socket of each user.
    const latencies = writes
      .map((w) => {
        const socket = w.user === alice ? aliceByProtocol : bobSocket;
        const frame = socket.frames.find((f) => f.data.task_id === w.taskId && f.data.operation === w.operation)!;
        return frame.at - w.sentAt;
      })
      .sort((a, b) => a - b);
    console.log(
      `REST write -> WebSocket frame over ${latencies.length} updates: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
    );
    // Where the time goes: until ws-sync handles the update (outbox relay, Kafka, daprd), then to the socket.
    const handled = new Map(
      logLines(APP_IDS.wsSync)
        .filter((l) => l.msg === "event received")
        .map((l) => [`${l.operation}:${l.task_id}`, Date.parse(l.time as string)] as const),
    );
    const upstream = writes
      .map((w) => handled.get(`${w.operation}:${w.taskId}`)! - (performance.timeOrigin + w.sentAt))
      .sort((a, b) => a - b);
    console.log(
      `  of which REST write -> ws-sync handled: p50 ${percentile(upstream, 50).toFixed(1)} ms, p99 ${percentile(upstream, 99).toFixed(1)} ms`,
    );
    for (const s of [aliceByQuery, aliceByProtocol, bobSocket]) s.close();
  });

  test("a reconnecting client gets what it missed from the replay window, or is told to refetch", async () => {
    const carol = await newUser("live-c");
    const first = await LiveSocket.as(carol.token);
    // Stays connected throughout: tells us when ws-sync has seen every update.
    const witness = await LiveSocket.as(carol.token);
    const writes: Write[] = [];
    await writeSome(carol, 1, writes);
    const [, , last] = await first.waitForUpdates(3);
    first.close();
    await first.waitForClose();

    await writeSome(carol, 2, writes); // made while disconnected
    await witness.waitForUpdates(9);
    const back = await LiveSocket.as(carol.token, { since: last.timestamp });
    const replayed = back.updates(); // all there before `ready`, which open() waited for
    // At or after `since`: the last one seen comes again (updates carry the whole task, so a repeat is harmless).
    expect(replayed.map(shape)).toEqual(writes.slice(2).map((w) => `${w.operation}:${w.taskId}`));
    expect(back.control("ready").replayed).toBe(7);
    back.close();
    witness.close();

    const tooOld = await LiveSocket.as(carol.token, { since: "2000-01-01T00:00:00Z" });
    expect(tooOld.control("resync")).toEqual({ type: "resync", reason: "replay_unavailable" });
    expect(tooOld.updates()).toHaveLength(0);
    tooOld.close();
  });
});
