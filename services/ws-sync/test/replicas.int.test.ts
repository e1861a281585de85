// Scaled out, every ws-sync instance consumes every update (its consumer
// group is its own), so a client gets all of its user's updates whichever
// replica it is connected to. The second instance, with its own daprd, is
// started through the launcher's control port and stopped again.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { newUser, type TestUser } from "../../../test/support/api.ts";
import { eventually, logLines } from "../../../test/support/stack.ts";
import { LiveSocket } from "./live-socket.ts";
import { REPLICA, startReplica } from "./replica.ts";

let replica: Awaited<ReturnType<typeof startReplica>> | undefined;

beforeAll(async () => {
  replica = await startReplica();
  // A new consumer group reads the topic's retained history first (read past,
  // not sent: src/fanout/history.ts): probe until the replica demonstrably
  // receives live updates.
  const probe = await newUser("replica-probe");
  await eventually(
    "ws-sync-2 to receive updates",
    async () => {
      const { body } = await probe.call("POST", "/api/tasks", { title: "probe" });
      const seen = () => logLines(REPLICA).some((l) => l.msg === "event received" && l.task_id === body.id);
      return (await eventually("the probe", () => seen() || undefined, 2_000).catch(() => false)) || undefined;
    },
    60_000,
  );
}, 120_000);

afterAll(async () => {
  await replica?.stop();
});

test("two ws-sync replicas, each with its own sidecar: a client on each gets every update of its user", async () => {
  const [erin, frank] = [await newUser("replica-e"), await newUser("replica-f")];
  const erinOnFirst = await LiveSocket.as(erin.token);
  const erinOnSecond = await LiveSocket.as(erin.token, {}, REPLICA);
  const frankOnSecond = await LiveSocket.as(frank.token, {}, REPLICA);

  const made = new Map<TestUser, number[]>([
    [erin, []],
    [frank, []],
  ]);
  for (let i = 0; i < 15; i++) {
    for (const user of [erin, frank])
      made.get(user)!.push((await user.call("POST", "/api/tasks", { title: `fan-out ${i}` })).body.id);
  }
  for (const [socket, user] of [
    [erinOnFirst, erin],
    [erinOnSecond, erin],
    [frankOnSecond, frank],
  ] as const) {
    const updates = await socket.waitForUpdates(15, 30_000);
    expect(updates.map((u) => u.task_id)).toEqual(made.get(user)!);
    expect(updates.every((u) => u.user_id === user.id)).toBe(true);
  }
  for (const s of [erinOnFirst, erinOnSecond, frankOnSecond]) s.close();
});
