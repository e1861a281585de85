// How one relay pass groups and carries its rows, kept pure (the sidecar
// call is passed in) so the rules that keep order are unit-tested without
// one. A lane is one user's rows of one target (a topic, or one reminder
// job): consumers rely on order within a lane and on nothing wider, so a
// failure holds back the rest of its lane and nothing else.
import type { OutboxRow } from "../db/schema.ts";

/** Bounds of one bulk call: under the sidecar's 4 MB request limit with room to spare. */
export const BULK_MAX_ENTRIES = 100;
export const BULK_MAX_BYTES = 1_000_000;

/** The relay's name for the Jobs API, the one target of every job row. */
export const JOBS_TARGET = "jobs";

/** Which target a row needs: its topic, or the Jobs API. */
export const targetOf = (row: Pick<OutboxRow, "kind" | "target">) =>
  row.kind === "publish" ? row.target : JOBS_TARGET;

export const laneOf = (row: Pick<OutboxRow, "target" | "userId">) => `${row.target}\u0000${row.userId}`;

export interface Failure {
  id: number;
  error: string;
}

export interface Carried {
  done: number[];
  failed: Failure[];
}

export interface Plan {
  /** Per topic, its publish rows in id order, cut into bulk calls. */
  publishes: { topic: string; chunks: OutboxRow[][] }[];
  /** Per lane (one job of one user), job rows in id order: schedule and delete of one job must not swap. */
  jobQueues: OutboxRow[][];
}

export function planPass(rows: OutboxRow[]): Plan {
  const byTopic = new Map<string, OutboxRow[]>();
  const jobsByLane = new Map<string, OutboxRow[]>();
  for (const row of [...rows].sort((a, b) => a.id - b.id)) {
    const into = row.kind === "publish" ? byTopic : jobsByLane;
    const key = row.kind === "publish" ? row.target : laneOf(row);
    (into.get(key) ?? into.set(key, []).get(key)!).push(row);
  }
  const publishes = [...byTopic].map(([topic, list]) => ({ topic, chunks: chunked(list) }));
  return { publishes, jobQueues: [...jobsByLane.values()] };
}

function chunked(list: OutboxRow[]): OutboxRow[][] {
  const chunks: OutboxRow[][] = [];
  let chunk: OutboxRow[] = [];
  let bytes = 0;
  for (const row of list) {
    const size = JSON.stringify(row.payload).length;
    if (chunk.length && (chunk.length >= BULK_MAX_ENTRIES || bytes + size > BULK_MAX_BYTES)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(row);
    bytes += size;
  }
  if (chunk.length) chunks.push(chunk);
  return chunks;
}

/**
 * Which rows count as delivered when some entries failed: for each lane,
 * only those before its first failure.
 */
export function deliveredInOrder(rows: OutboxRow[], failed: ReadonlySet<number>): number[] {
  const blocked = new Set<string>();
  const done: number[] = [];
  for (const row of [...rows].sort((a, b) => a.id - b.id)) {
    const lane = laneOf(row);
    if (blocked.has(lane)) continue;
    if (failed.has(row.id)) blocked.add(lane);
    else done.push(row.id);
  }
  return done;
}

/**
 * Publishes one topic's chunks one after another. A lane with a failed row
 * is left out of every later chunk (not sent at all): were it sent, its later
 * event would reach consumers before the earlier one's retry, and the retry
 * of the later one would then be skipped as a duplicate. Rows left out are
 * neither done nor failed; they stay pending as they were. A chunk that
 * fails whole means the topic (or the sidecar) is down: the rest is not tried.
 */
export async function publishInOrder(
  chunks: OutboxRow[][],
  send: (chunk: OutboxRow[]) => Promise<Failure[]>,
): Promise<Carried> {
  const blocked = new Set<string>();
  const result: Carried = { done: [], failed: [] };
  for (const planned of chunks) {
    const chunk = planned.filter((row) => !blocked.has(laneOf(row)));
    if (!chunk.length) continue;
    const failed = await send(chunk);
    const failedIds = new Set(failed.map((f) => f.id));
    // Rows of a lane after its failure inside this very call: Kafka takes or refuses a partition's share of a call together, so these are failures too in practice; never marked done.
    for (const row of chunk) if (failedIds.has(row.id)) blocked.add(laneOf(row));
    result.done.push(...deliveredInOrder(chunk, failedIds));
    result.failed.push(...failed);
    if (failed.length === chunk.length) break;
  }
  return result;
}

/**
 * Carries job rows lane by lane (`concurrency` lanes at a time), each lane in
 * order and stopping at its first failure. A failure before any success
 * starts no further lane (the calls already made run out): the Jobs API may
 * be down, and each call to a down Scheduler waits out the client's timeout.
 */
export async function carryLanes(
  lanes: OutboxRow[][],
  carry: (row: OutboxRow) => Promise<void>,
  concurrency: number,
): Promise<Carried> {
  const queue = [...lanes];
  const result: Carried = { done: [], failed: [] };
  const down = () => result.done.length === 0 && result.failed.length > 0;
  const worker = async () => {
    for (let lane = queue.shift(); lane && !down(); lane = queue.shift()) {
      for (const row of lane) {
        try {
          await carry(row);
          result.done.push(row.id);
        } catch (err) {
          result.failed.push({ id: row.id, error: err instanceof Error ? err.message : String(err) });
          break; // the rest of this lane waits for this row
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  return result;
}

/** A failed row's own wait before its next attempt: doubling from `baseMs`, capped. */
export function retryDelayMs(attemptsBefore: number, baseMs: number, capMs: number): number {
  return Math.min(baseMs * 2 ** Math.min(attemptsBefore, 30), capMs);
}
