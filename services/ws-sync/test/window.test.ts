// The replay window's memory bounds, enforced as updates arrive: the load
// that once grew ws-sync past its container limit (5 000 users × 50 updates
// of about 850 B) stays within the byte cap, and updates past their age are
// gone even when no client ever asks for a replay.
import { expect, test } from "bun:test";
import { entryBytes, ReplayWindow } from "../src/fanout/window.ts";

let clock = 1_000_000;
const now = () => clock;

/** A task-updates frame of about 850 bytes, like a task with a long description. */
const frame = (user: string, taskId: number, at: number, text = "x") =>
  JSON.stringify({
    operation: "update",
    task_id: taskId,
    user_id: user,
    timestamp: new Date(at).toISOString(),
    task_data: {
      id: taskId,
      title: `task ${taskId}`,
      description: text.repeat(Math.ceil(700 / text.length)).slice(0, 700),
    },
  });

test("5 000 users × 50 updates of ~850 B: the window's bytes never pass the cap, and what it keeps still replays", () => {
  const maxBytes = 8 * 1024 * 1024;
  const window = new ReplayWindow({ perUser: 200, users: 10_000, maxAgeMs: 15 * 60_000, maxBytes }, now);
  const users = Array.from({ length: 5000 }, (_, i) => `user-${i}`);
  let largest = 0;
  let total = 0;
  for (let round = 0; round < 50; round++) {
    for (const [i, user] of users.entries()) {
      clock += 1;
      const text = frame(user, round * 5000 + i, clock);
      total += entryBytes(text);
      window.add(user, clock, text);
      largest = Math.max(largest, window.size().bytes);
    }
  }
  expect(total).toBeGreaterThan(25 * maxBytes); // the load is far bigger than the cap…
  expect(largest).toBeLessThanOrEqual(maxBytes); // …and the window never held more
  expect(window.size().bytes).toBeGreaterThan(maxBytes * 0.9); // it uses what it may

  // The most recently updated user replays its last updates; the least recent is forgotten and must refetch.
  const newest = users.at(-1)!;
  const replay = window.since(newest, clock);
  expect(replay?.map((f) => JSON.parse(f).task_id)).toEqual([49 * 5000 + 4999]);
  expect(window.since(users[0]!, clock - 5000)).toBeNull();
}, 60_000); // builds 250 000 frames: seconds on a busy machine

test("byte accounting counts two bytes a character for text beyond Latin-1, and returns to zero when everything is gone", () => {
  const window = new ReplayWindow({ perUser: 10, users: 10, maxAgeMs: 1000, maxBytes: 1 << 20 }, now);
  const ascii = frame("a", 1, clock);
  const wide = frame("a", 2, clock, "日本");
  expect(entryBytes(wide) - entryBytes(ascii)).toBeGreaterThanOrEqual(wide.length - 20);
  window.add("a", clock, ascii);
  window.add("a", clock, wide);
  expect(window.size()).toEqual({ users: 1, entries: 2, bytes: entryBytes(ascii) + entryBytes(wide) });
  clock += 2000;
  window.add("b", clock, ascii); // a's updates are past their age: forgotten on this insert
  expect(window.size()).toEqual({ users: 1, entries: 1, bytes: entryBytes(ascii) });
});

test("age is enforced at insert: a quiet user's old updates go without anyone asking for a replay", () => {
  const window = new ReplayWindow({ perUser: 100, users: 100, maxAgeMs: 60_000, maxBytes: 1 << 24 }, now);
  for (let i = 0; i < 50; i++) window.add("quiet", clock, frame("quiet", i, clock));
  clock += 30_000;
  for (let i = 0; i < 10; i++) window.add("busy", clock, frame("busy", i, clock));
  expect(window.size().entries).toBe(60);
  clock += 40_000; // quiet's updates are 70 s old, busy's 40 s
  window.add("busy", clock, frame("busy", 10, clock));
  expect(window.size()).toMatchObject({ users: 1, entries: 11 });
  expect(window.since("quiet", clock - 70_000)).toBeNull(); // it knows it lost them
});

test("one user alone over the byte cap keeps only its newest updates", () => {
  const start = clock;
  const one = entryBytes(frame("solo", 20, start + 20)); // as big as each of the last ten
  const window = new ReplayWindow({ perUser: 1000, users: 10, maxAgeMs: 60_000, maxBytes: one * 10 }, now);
  for (let i = 0; i < 30; i++) window.add("solo", start + i, frame("solo", i, start + i));
  expect(window.size().bytes).toBeLessThanOrEqual(one * 10);
  expect(window.since("solo", start + 20)?.map((f) => JSON.parse(f).task_id)).toEqual([
    20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
  ]);
  expect(window.since("solo", start + 19)).toBeNull();
});
