// What todo-api's relays put on Kafka, read back from the broker, and the
// order WebSocket clients saw it in: the checks that two relays (two todo-api
// replicas) never publish one outbox row twice and keep each user's order.
import type postgres from "postgres";
import { readTopic } from "../support/stack.ts";
import type { LiveClient } from "./live-client.ts";

/**
 * CloudEvent ids of these users' outbox rows on `topics`, and how many times
 * each is on Kafka (ids are UUIDs: one id on two topics cannot happen, so
 * the topics are read together). Reads until every row is there, or the deadline.
 */
export async function copiesOnKafka(
  todo: postgres.Sql,
  topics: string[],
  users: string[],
): Promise<{ rows: { id: string; createdAt: Date }[]; copies: Map<string, number> }> {
  const rows =
    (await todo`select event_id::text as id, created_at as "createdAt" from outbox where kind = 'publish' and target in ${todo(topics)} and user_id in ${todo(users)}`) as unknown as {
      id: string;
      createdAt: Date;
    }[];
  const wanted = new Set(rows.map((r) => r.id));
  const count = (records: { value: string }[]) => {
    const copies = new Map<string, number>();
    for (const r of records) {
      const id = eventId(r.value);
      if (id && wanted.has(id)) copies.set(id, (copies.get(id) ?? 0) + 1);
    }
    return copies;
  };
  // The topics hold every earlier test's events too, and joining a group takes a while on a busy machine: wait up to 15 s for a record.
  const records = await readTopic(topics, (records) => count(records).size >= wanted.size, 120_000, 15_000).catch(() =>
    readTopic(topics, () => true, 60_000, 15_000),
  );
  return { rows, copies: count(records) };
}

const eventId = (value: string): string | undefined => {
  try {
    return (JSON.parse(value) as { id?: string }).id;
  } catch {
    return undefined;
  }
};

/**
 * Updates a client saw for the first time although a later one of the same
 * task (`task`) or of the same user (`user`) had come first. Outbox ids give
 * the order todo-api wrote them in; a frame seen again (a redelivery, a
 * replay after reconnecting) is not a new one.
 */
export async function outOfOrder(
  todo: postgres.Sql,
  clients: LiveClient[],
): Promise<{ task: number; user: number; frames: number }> {
  const users = clients.map((c) => c.user.id);
  const rows = await todo`
    select id::int as id, payload->>'operation' as operation, (payload->>'task_id')::bigint::int as task, payload->'task_data'->>'updated_at' as updated
    from outbox where kind = 'publish' and target = 'task-updates' and user_id in ${todo(users)}`;
  const idOf = new Map(rows.map((r) => [`${r.task}|${r.operation}|${r.updated}`, r.id as number]));
  const result = { task: 0, user: 0, frames: 0 };
  for (const client of clients) {
    const seen = new Set<string>();
    const latestOfTask = new Map<number, number>();
    let latestOfUser = 0;
    for (const a of client.arrivals) {
      const key = `${a.taskId}|${a.operation}|${a.updatedAt}`;
      const id = idOf.get(key);
      if (id === undefined || seen.has(key)) continue;
      seen.add(key);
      result.frames++;
      if (id < (latestOfTask.get(a.taskId) ?? 0)) result.task++;
      if (id < latestOfUser) result.user++;
      latestOfTask.set(a.taskId, Math.max(id, latestOfTask.get(a.taskId) ?? 0));
      latestOfUser = Math.max(id, latestOfUser);
    }
  }
  return result;
}
