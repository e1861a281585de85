// Scale-out: a second instance of todo-api, recurring, audit-log and
// notification (each with its own sidecar) joins the running stack; half the
// users write through todo-api-2. Mid-run each second instance is killed
// with SIGKILL, app and sidecar together, as a node failure takes a pod: its
// consumers leave their groups without a goodbye, and Kafka rebalances their
// partitions onto the survivors. On top of the usual effects, two relays and
// two reminder sweepers must never publish one outbox row twice, and every
// client must see its updates in the order todo-api wrote them.
import { TOPICS } from "@todo/shared";
import { userAt, type TestUser } from "../support/api.ts";
import { control, stack } from "../support/stack.ts";
import { LiveClient } from "./live-client.ts";
import { copiesOnKafka, outOfOrder } from "./published.ts";
import { expectCounts, verify, type FaultRun } from "./verify.ts";
import { runWorkload, workloadUsers } from "./workload.ts";

const SCALED = ["todo-api", "recurring", "audit-log", "notification"];
const SECOND = SCALED.map((s) => `${s}-2`);

export async function scaleOut(run: FaultRun): Promise<void> {
  const scenario = "scale-out, kill -9 one replica of each";
  // App and sidecar together: the sidecar is healthy only once its app answers, and the app waits for it.
  const began = Date.now();
  const took = () => `${((Date.now() - began) / 1000).toFixed(1)} s`;
  await Promise.all(SECOND.flatMap((name) => [control(`${name}-dapr`, "start"), control(name, "start")]));
  console.log(`${scenario}: second instances up after ${took()}`);
  const people = await workloadUsers("scale-out", 4);
  run.everyone.push(...people.map((p) => p.id));
  const clients = people.map((p) => new LiveClient(p));
  let killedAt = Infinity;
  try {
    await Promise.all(clients.map((c) => c.start()));
    const replicaUrl = `http://127.0.0.1:${stack().replicas!["todo-api-2"]!.ports.app}`;
    // Odd users write through the second instance until it dies, then through the first (as a Service would route them).
    const writers = people.map((p, i) => (i % 2 ? failingOver(userAt(p, replicaUrl), p) : p));
    const workload = runWorkload("scale-out", run.seconds, writers);
    await Bun.sleep(Math.max(2000, (run.seconds * 1000) / 2)); // mid-run: the second instances own partitions by now
    killedAt = Date.now();
    await Promise.all(SECOND.flatMap((name) => [control(name, "kill"), control(`${name}-dapr`, "kill")]));
    const ack = await workload;
    console.log(`${scenario}: workload done after ${took()}`);
    const counts = await verify(run, scenario, ack, clients);
    console.log(`${scenario}: usual checks done after ${took()}`);

    // A row written after the kill cannot have been in flight in the killed relay: a second copy of it was published twice.
    const users = people.map((p) => p.id);
    const { rows, copies } = await copiesOnKafka(
      run.todo,
      [TOPICS.taskEvents, TOPICS.taskUpdates, TOPICS.reminders],
      users,
    );
    const copied = rows.filter((r) => (copies.get(r.id) ?? 0) > 1);
    const after = rows.filter((r) => r.createdAt.getTime() > killedAt);
    const earliestCopied = Math.min(...copied.map((r) => r.createdAt.getTime()));
    // Without every event read back, "none twice" would prove nothing.
    counts["outbox events found on Kafka"] = {
      expected: rows.length,
      found: rows.filter((r) => copies.has(r.id)).length,
    };
    counts["events written after the kill, published more than once"] = {
      expected: 0,
      found: after.filter((r) => copied.includes(r)).length,
    };
    console.log(`${scenario}: Kafka read after ${took()}`);
    const order = await outOfOrder(run.todo, clients);
    counts["task-updates a client saw before an earlier one of the same user"] = { expected: 0, found: order.user };
    console.log(
      `${scenario}: ${after.length} events written after the kill; ${copied.length} event(s) of the whole run on Kafka more than once ` +
        `(a kill mid-publish resends what was in flight; the earliest written ${copied.length ? ((killedAt - earliestCopied) / 1000).toFixed(1) : "-"} s before the kill); ` +
        `${order.frames} distinct frames, ${order.task} out of order within a task, ${order.user} within a user`,
    );
    expectCounts(counts);
  } finally {
    for (const c of clients) c.stop();
    // Whatever is still up (a failure before the kill) goes, so the next scenarios run on one instance each.
    await Promise.all(SECOND.flatMap((name) => [control(name, "stop"), control(`${name}-dapr`, "stop")]));
  }
}

/** Talks to `first` until a request to it fails outright (the instance is gone), then to `fallback`. */
function failingOver(first: TestUser, fallback: TestUser): TestUser {
  let gone = false;
  return {
    ...first,
    call: async (...args) => {
      if (gone) return fallback.call(...args);
      try {
        return await first.call(...args);
      } catch (err) {
        gone = true;
        throw err;
      }
    },
  };
}
