// The fault suite's scenarios that blink a part of the stack: each one kills
// or stops a process through the launcher's control port and starts it again
// (the heal). The fault tests run each once under load; `bun run soak`
// (bench/soak.ts) rotates through them for an hour.
import { deadLetterTopic, TOPICS } from "@todo/shared";
import { control, readTopic } from "../support/stack.ts";

export interface FaultScenario {
  name: string;
  /** Injects the fault and heals it; resolves once every part it touched was started again. */
  inject(): Promise<void>;
}

const bounce = async (name: string, how: "kill" | "stop", downMs = 1500) => {
  await control(name, how);
  await Bun.sleep(downMs); // the outage itself: a duration by design, not a wait for a condition
  await control(name, "start");
};

export const FAULT_SCENARIOS: FaultScenario[] = [
  {
    name: "kill -9 each consumer in turn",
    inject: async () => {
      for (const s of ["notification", "recurring", "audit-log", "ws-sync"]) await bounce(s, "kill", 500);
    },
  },
  { name: "kill -9 todo-api's sidecar", inject: () => bounce("todo-api-dapr", "kill") },
  { name: "stop and restart the Kafka broker", inject: () => bounce("kafka", "stop", 2000) },
  { name: "restart Postgres", inject: () => bounce("postgres", "stop", 1000) },
  { name: "kill -9 todo-api mid-write", inject: () => bounce("todo-api", "kill", 500) },
  { name: "restart the Scheduler with reminders pending", inject: () => bounce("dapr-scheduler", "kill", 1500) },
];

/**
 * How many messages of these users sit in a dead-letter topic, per topic.
 * Every message of the suite's users is good: a RETRY while a dependency was
 * down must end in a later SUCCESS, never in a dead-letter topic.
 */
export async function deadLettered(users: string[]): Promise<number[]> {
  return Promise.all(
    [TOPICS.taskEvents, TOPICS.reminders, TOPICS.taskUpdates].map(async (topic) => {
      const records = await readTopic(deadLetterTopic(topic), () => true);
      return records.filter((r) => users.some((id) => r.value.includes(id))).length;
    }),
  );
}
