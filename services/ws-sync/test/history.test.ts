// A new instance's consumer group starts at the oldest record of task-updates
// (so a re-created topic loses nothing), which hands it the topic's retained
// history: what was published before it started must not reach a socket,
// and what was published after must, whatever the update's own timestamp.
import { expect, test } from "bun:test";
import { createLogger, deliver, PUBSUB_FANOUT, TOPICS, type TaskUpdate } from "@todo/shared";
import { HISTORY_MARGIN_MS, LiveFrom } from "../src/fanout/history.ts";
import { Hub } from "../src/fanout/hub.ts";
import { ReplayWindow } from "../src/fanout/window.ts";
import { subscriptions } from "../src/subscriptions.ts";
import { exampleTask } from "../../../test/support/tasks.ts";

const log = createLogger({ service: "test", write: () => {} });
const startedAt = Date.parse("2026-12-02T12:00:00Z");

function instance() {
  const window = new ReplayWindow({ perUser: 10, users: 10, maxAgeMs: 60_000, maxBytes: 1 << 20 });
  const hub = new Hub({ window, maxBufferedBytes: 1 << 20, maxSocketsPerUser: 5, log });
  const sent: string[] = [];
  hub.attach({ userId: "u1", socket: { send: (t) => sent.push(t), bufferedAmount: () => 0, close: () => {} } });
  const [sub] = subscriptions({ hub, liveFrom: new LiveFrom(startedAt) });
  const updates = () => sent.map((s) => JSON.parse(s)).filter((f) => f.operation !== undefined);
  return { sub: sub!, updates };
}

/** A task-updates record as the sidecar delivers it: `time` is when the relay published it. */
const record = (taskId: number, publishedAt: number | undefined, writtenAt = publishedAt ?? startedAt) => {
  const data: TaskUpdate = {
    operation: "create",
    task_id: taskId,
    task_data: exampleTask({ id: taskId, user_id: "u1" }),
    user_id: "u1",
    timestamp: new Date(writtenAt).toISOString(),
  };
  return {
    id: `event-${taskId}`,
    specversion: "1.0",
    type: "com.dapr.event.sent",
    source: "todo-api",
    topic: TOPICS.taskUpdates,
    pubsubname: PUBSUB_FANOUT,
    ...(publishedAt === undefined ? {} : { time: new Date(publishedAt).toISOString().replace(/\.\d+Z$/, "Z") }),
    data,
  };
};

test("history published before the instance started is read past; updates published since reach the socket", async () => {
  const { sub, updates } = instance();
  const results = [];
  for (const [id, at] of [
    [1, startedAt - 86_400_000], // yesterday's update, in the topic's retained history
    [2, startedAt - HISTORY_MARGIN_MS - 1000],
    [3, startedAt - 500], // published in the second the instance started: the CloudEvent time has no fractions
    [4, startedAt + 5000],
  ] as const)
    results.push(await deliver(sub, record(id, at), log));
  expect(results).toEqual(["SUCCESS", "SUCCESS", "SUCCESS", "SUCCESS"]);
  expect(updates().map((u) => u.task_id)).toEqual([3, 4]);
});

test("an update written before the start but published after it (a relay catching up) is live", async () => {
  const { sub, updates } = instance();
  await deliver(sub, record(7, startedAt + 60_000, startedAt - 3_600_000), log);
  expect(updates().map((u) => u.task_id)).toEqual([7]);
});

test("an event without a publish time is sent: repeating an update is harmless, losing one is not", async () => {
  const { sub, updates } = instance();
  await deliver(sub, record(9, undefined), log);
  expect(updates().map((u) => u.task_id)).toEqual([9]);
});
