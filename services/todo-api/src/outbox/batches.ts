// How one relay pass groups its rows: every publish row of a topic goes into
// bulk calls to the sidecar (one round trip for many events instead of one
// each), job rows stay one call each, in order per user. Pure, so the rules
// that keep per-user order are unit-tested without a sidecar.
import type { OutboxRow } from "../db/schema.ts";

/** Bounds of one bulk call: under the sidecar's 4 MB request limit with room to spare. */
export const BULK_MAX_ENTRIES = 100;
export const BULK_MAX_BYTES = 1_000_000;

export interface Plan {
  /** Per topic, its publish rows in id order, cut into bulk calls. */
  publishes: { topic: string; chunks: OutboxRow[][] }[];
  /** Per user, job rows in id order (schedule and delete of one job must not swap). */
  jobQueues: OutboxRow[][];
}

export function planPass(rows: OutboxRow[]): Plan {
  const byTopic = new Map<string, OutboxRow[]>();
  const jobsByUser = new Map<string, OutboxRow[]>();
  for (const row of [...rows].sort((a, b) => a.id - b.id)) {
    const into = row.kind === "publish" ? byTopic : jobsByUser;
    const key = row.kind === "publish" ? row.target : row.userId;
    (into.get(key) ?? into.set(key, []).get(key)!).push(row);
  }
  const publishes = [...byTopic].map(([topic, list]) => {
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
    return { topic, chunks };
  });
  return { publishes, jobQueues: [...jobsByUser.values()] };
}

/**
 * Which published rows count as delivered when some entries of a topic's
 * bulk calls failed: for each user, only those before its first failure on
 * that topic. The later ones go again with the failed one on the next pass,
 * so consumers see the user's events end in order (the repeats carry the
 * same event ids, which consumers already skip).
 */
export function deliveredInOrder(rows: OutboxRow[], failed: ReadonlySet<number>): number[] {
  const blocked = new Set<string>();
  const done: number[] = [];
  for (const row of [...rows].sort((a, b) => a.id - b.id)) {
    const key = `${row.target}\u0000${row.userId}`;
    if (blocked.has(key)) continue;
    if (failed.has(row.id)) blocked.add(key);
    else done.push(row.id);
  }
  return done;
}
