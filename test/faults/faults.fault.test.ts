// Faults a cluster really has, injected into the real local stack while a
// steady write mix runs; afterwards nothing acknowledged is lost and every
// effect happened exactly once, and WebSocket clients end where REST is.
// FAULT_SECONDS sets how long each workload runs: `bun run test` runs 5 s,
// `bun run test:faults` 60 s. Counts go to faults.json in the log folder and
// are printed as a table.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { Mailbox } from "../support/mailbox.ts";
import { stack } from "../support/stack.ts";
import { LiveClient } from "./live-client.ts";
import { deadLettered, FAULT_SCENARIOS } from "./scenarios.ts";
import { scaleOut } from "./scale-out.ts";
import { schedulerStaysDown, topicStaysDown } from "./stays-down.ts";
import { expectCounts, verify, type FaultRun } from "./verify.ts";
import { runWorkload, workloadUsers } from "./workload.ts";

const db = (name: string) => postgres(stack().databases[name]!, { max: 2, onnotice: () => {} });
const run = {
  mailbox: new Mailbox((stack().ports as unknown as { smtp: number }).smtp),
  report: {},
  latency: {},
  seconds: Number(process.env.FAULT_SECONDS ?? 5),
  everyone: [] as string[],
} as FaultRun;

beforeAll(async () => {
  [run.todo, run.notification, run.audit] = [db("todo"), db("notification"), db("audit")];
  await run.mailbox.open();
});

afterAll(async () => {
  writeFileSync(
    join(stack().logDir, "faults.json"),
    JSON.stringify({ counts: run.report, latency: run.latency }, null, 2),
  );
  console.log("\nscenario | check | expected | found");
  for (const [scenario, checks] of Object.entries(run.report))
    for (const [check, c] of Object.entries(checks)) console.log(`${scenario} | ${check} | ${c.expected} | ${c.found}`);
  console.log("\nscenario | bystanders' events to | p99 ms, no fault | p99 ms, dependency down | bound (2× or floor)");
  for (const [scenario, channels] of Object.entries(run.latency)) {
    for (const [channel, l] of Object.entries(channels))
      console.log(
        `${scenario} | ${channel} | ${l.baseline} | ${l.outage} | ${l.judged ? `≤ ${l.bound}` : "not judged (its topic is down)"}`,
      );
  }
  await run.mailbox.close();
  await Promise.all([run.todo?.end(), run.notification?.end(), run.audit?.end()]);
});

describe("faults", () => {
  for (const { name: scenario, inject } of FAULT_SCENARIOS) {
    test(
      scenario,
      async () => {
        const label = scenario.split(" ").slice(0, 2).join("-");
        const people = await workloadUsers(label);
        run.everyone.push(...people.map((p) => p.id));
        const clients = people.map((p) => new LiveClient(p));
        await Promise.all(clients.map((c) => c.start()));
        try {
          const workload = runWorkload(label, run.seconds, people);
          await Bun.sleep(1000); // let the workload get going before the fault
          await inject();
          const ack = await workload;
          expectCounts(await verify(run, scenario, ack, clients));
        } finally {
          for (const c of clients) c.stop();
        }
      },
      600_000 + run.seconds * 1000,
    );
  }

  test(
    "scale-out: two of each consumer and of todo-api, kill -9 one of each",
    () => scaleOut(run),
    600_000 + run.seconds * 1000,
  );
  test("the Scheduler stays down", () => schedulerStaysDown(run), 600_000 + run.seconds * 3000);
  test("task-updates deleted and created again", () => topicStaysDown(run), 600_000 + run.seconds * 3000);

  // Every message of these users was good: a RETRY while a dependency was
  // down must end in a later SUCCESS, never in a dead-letter topic.
  test("no good message was dead-lettered", async () => {
    const parked = await deadLettered(run.everyone);
    run.report["all scenarios"] = {
      "good messages in a dead-letter topic": { expected: 0, found: parked.reduce((a, b) => a + b, 0) },
    };
    expect(parked).toEqual([0, 0, 0]);
  }, 120_000);
});
