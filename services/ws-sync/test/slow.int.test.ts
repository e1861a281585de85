// A client that never reads must cost the others nothing: updates keep
// reaching a fast client of the same user as soon as ws-sync has them, and
// the stalled one is told to resync and dropped once its bounded buffer
// overflows.
import { expect, test } from "bun:test";
import { APP_IDS, PUBSUB, TOPICS } from "@todo/shared";
import { randomUUID } from "node:crypto";
import { signToken } from "@todo/shared";
import { jwtSecret } from "../../../test/support/api.ts";
import { logLines, sidecar, stack, waitForLog } from "../../../test/support/stack.ts";
import { exampleTask } from "../../../test/support/tasks.ts";
import { LiveSocket } from "./live-socket.ts";
import { stalledSocket } from "./raw-socket.ts";

test("a client that never reads does not delay updates to a fast client, and is dropped when its buffer overflows", async () => {
  const userId = `live-slow-${randomUUID()}`;
  const token = await signToken(jwtSecret(), { sub: userId });
  const stalled = await stalledSocket(stack().ports.services[APP_IDS.wsSync].app, token);
  const fast = await LiveSocket.as(token);

  // The kernel alone buffers a few MB for an unread loopback socket, so the
  // updates are big (64 KB of task data each, published straight to the topic
  // through todo-api's sidecar): 100 of them pass ws-sync's 256 KiB bound.
  const filler = "x".repeat(64 * 1024);
  const ids: string[] = Array.from({ length: 100 }, () => randomUUID());
  for (const [i, eventId] of ids.entries()) {
    const update = {
      operation: "update",
      task_id: i + 1,
      task_data: exampleTask({ id: i + 1, user_id: userId, description: filler }),
      user_id: userId,
      timestamp: new Date().toISOString(),
    };
    await sidecar(APP_IDS.todoApi).publish(PUBSUB, TOPICS.taskUpdates, update, { partitionKey: userId, eventId });
  }
  const updates = await fast.waitForUpdates(100, 60_000);
  expect(updates.map((u) => u.task_id)).toEqual(ids.map((_, i) => i + 1));

  const dropped = await waitForLog(APP_IDS.wsSync, (l) => l.msg === "slow client dropped" && l.user_id === userId);
  expect(Number(dropped.buffered_bytes)).toBeGreaterThan(0);
  expect(fast.closed).toBeNull(); // the fast one stays connected

  // How long after ws-sync handled each update the fast client had it: never
  // waiting behind the stalled one.
  const handled = new Map(
    logLines(APP_IDS.wsSync)
      .filter((l) => l.msg === "event received" && ids.includes(l.event_id as string))
      .map((l) => [l.event_id, Date.parse(l.time as string)]),
  );
  const lags = fast.frames
    .filter((f) => f.data.type === undefined)
    .map((f, i) => performance.timeOrigin + f.at - handled.get(ids[i]!)!)
    .sort((a, b) => a - b);
  console.log(
    `fast client beside a stalled one: frame received p50 ${lags[49]!.toFixed(1)} ms, max ${lags.at(-1)!.toFixed(1)} ms after ws-sync handled the update`,
  );
  // A figure, not an assertion (timings belong to benchmarks): had sending waited on the
  // stalled socket, the 100 updates above would never have reached the fast client.
  fast.close();
  stalled.destroy();
});
