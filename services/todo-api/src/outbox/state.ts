// The relay's backlog per target, read from the database (so it counts every
// replica's rows): how many rows wait, how old the oldest is, how many have
// failed at least once. Shown in the relay's state log line and in /readyz.
import { sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { JOBS_TARGET } from "./batches.ts";
import type { TargetHealth } from "./target-relay.ts";

export interface Backlog {
  pending: number;
  oldest_pending_age_ms: number;
  /** Pending rows that failed at least once. */
  retrying: number;
}

export type TargetState = Backlog & TargetHealth;

export async function readBacklog(db: Database): Promise<Record<string, Backlog>> {
  const rows = await db.execute<{ target: string; pending: number; oldest_ms: number; retrying: number }>(sql`
    select case when kind = 'publish' then target else ${JOBS_TARGET} end as target,
           count(*)::int as pending,
           (extract(epoch from now() - min(created_at)) * 1000)::bigint::int as oldest_ms,
           (count(*) filter (where attempts > 0))::int as retrying
      from outbox where published_at is null group by 1`);
  return Object.fromEntries(
    rows.map((r) => [
      r.target,
      { pending: r.pending, oldest_pending_age_ms: Math.max(0, Number(r.oldest_ms)), retrying: r.retrying },
    ]),
  );
}
