// The advisory locks todo-api takes, in one place so their keys never collide
// (the migration lock is in client.ts).
import { sql } from "drizzle-orm";
import type { Database } from "./client.ts";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** First key of the relay's per-target locks: (RELAY_LOCK, hashtext(target)). */
export const RELAY_LOCK = 7_262_002;

/**
 * Serialises one user's writes until the transaction ends. Every transaction
 * that writes a user's outbox rows takes it first, so outbox ids follow
 * commit order within a user: the relay never sees a later row of a lane
 * while an earlier one is still uncommitted.
 */
export async function lockUser(tx: Tx, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${userId}))`);
}

export type { Tx };
