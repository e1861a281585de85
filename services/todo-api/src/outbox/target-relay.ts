// Carries the outbox rows of one target (one topic, or the Jobs API) out
// through the sidecar, in a loop of its own: a target that fails or hangs
// holds up its own rows and nobody else's.
//
// Each pass is a transaction holding this target's advisory lock, so across
// replicas one pass per target runs at a time: no row goes out twice from
// two replicas, and a lane (one user's rows of one topic or job) is never
// split between them. A row is marked done only after the sidecar accepted
// it, so a crash in between means a redelivery with the same event id,
// never a loss. A failed row waits out its own back-off (next_attempt_at),
// and so do the rows behind it in its lane; other lanes go on. When a whole
// pass fails, the target backs off too and then probes with a single row.
import { PUBSUB, type DaprClient, type Job, type Logger } from "@todo/shared";
import { and, asc, eq, gt, inArray, isNull, lt, lte, ne, notExists, sql as raw } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database } from "../db/client.ts";
import { RELAY_LOCK } from "../db/locks.ts";
import { outbox, type OutboxRow } from "../db/schema.ts";
import {
  carryLanes,
  JOBS_TARGET,
  planPass,
  publishInOrder,
  retryDelayMs,
  type Carried,
  type Failure,
} from "./batches.ts";
import { expectTarget, relayCallSeconds, relayFailures } from "./metrics.ts";
import { tracedChunk, tracedJob } from "./tracing.ts";

export interface Backoff {
  /** First wait after a failure, doubled after each further one. */
  baseMs: number;
  /** The longest wait, for a row and for a target. */
  capMs: number;
}

export interface TargetRelayOptions {
  target: string;
  db: Database;
  dapr: Pick<DaprClient, "publishBulk" | "scheduleJob" | "deleteJob">;
  log: Logger;
  batchSize: number;
  /** Job lanes carried side by side. */
  concurrency: number;
  backoff: Backoff;
}

/** What this replica knows of its target right now (shown in /readyz and the state log line). */
export interface TargetHealth {
  failing: boolean;
  failures: number;
  last_error?: string;
  retry_in_ms?: number;
}

const earlier = alias(outbox, "earlier");

export class TargetRelay {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private failures = 0;
  private retryAt = 0;
  private lastError: string | undefined;
  private soonTimer: Timer | undefined;

  constructor(private readonly o: TargetRelayOptions) {
    expectTarget(o.target);
  }

  /** Asks for a pass soon. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => (this.running = null));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  health(): TargetHealth {
    const waiting = this.retryAt - Date.now();
    return {
      failing: this.failures > 0,
      failures: this.failures,
      ...(this.lastError && this.failures > 0 ? { last_error: this.lastError } : {}),
      ...(waiting > 0 ? { retry_in_ms: waiting } : {}),
    };
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      if (Date.now() < this.retryAt) return; // backing off; the relay's sweep timer comes back
      try {
        // Bounded: a query on a connection the database dropped can wait forever.
        const { idle, busy, full, delivered, failure } = await withDeadline(
          this.pass(),
          60_000,
          `an outbox pass for ${this.o.target}`,
        );
        if (busy) this.soon();
        if (idle) continue; // nothing due, or another replica's turn: says nothing about the target
        if (failure && !delivered) this.backoff(failure);
        else {
          if (this.failures > 0)
            this.o.log.info("outbox target delivering again", { target: this.o.target, after_failures: this.failures });
          this.failures = 0;
          if (full) this.again = true;
        }
      } catch (err) {
        this.backoff(err instanceof Error ? err.message : String(err));
      }
    } while (this.again && !this.stopped);
  }

  /** One batch of this target's rows that are due, in id order. */
  private async pass(): Promise<{ idle?: true; busy?: true; full?: boolean; delivered?: boolean; failure?: string }> {
    return this.o.db.transaction(async (tx) => {
      const [lock] = await tx.execute<{ locked: boolean }>(
        raw`select pg_try_advisory_xact_lock(${RELAY_LOCK}, hashtext(${this.o.target})) as locked`,
      );
      if (!lock?.locked) return { idle: true, busy: true }; // another replica is relaying this target
      // While the target is failing, one row probes it: no point in a batch of calls that would time out.
      const limit = this.failures > 0 ? 1 : this.o.batchSize;
      const rows = await tx.select().from(outbox).where(this.due()).orderBy(asc(outbox.id)).limit(limit);
      if (!rows.length) return { idle: true };
      const { done, failed } = await this.carry(rows);
      relayFailures.inc({ target: this.o.target }, failed.length);
      if (done.length) await tx.update(outbox).set({ publishedAt: new Date() }).where(inArray(outbox.id, done));
      for (const [error, ids] of byError(failed)) {
        await tx
          .update(outbox)
          .set({
            attempts: raw`${outbox.attempts} + 1`,
            lastError: error.slice(0, 1000),
            // retryDelayMs in SQL, on the database's clock, which every replica shares.
            nextAttemptAt: raw`now() + least(${this.o.backoff.capMs}, ${this.o.backoff.baseMs} * power(2, least(${outbox.attempts}, 30))) * interval '1 millisecond'`,
          })
          .where(inArray(outbox.id, ids));
      }
      const failure = failed.length ? `${failed.length} outbox row(s) not delivered: ${failed[0]!.error}` : undefined;
      return { full: rows.length === limit && !failure, delivered: done.length > 0, failure };
    });
  }

  /** Pending rows of this target that are due, and whose lane has no earlier row still waiting out a back-off. */
  private due() {
    const ofTarget =
      this.o.target === JOBS_TARGET
        ? ne(outbox.kind, "publish")
        : and(eq(outbox.kind, "publish"), eq(outbox.target, this.o.target));
    const blockedBehind = this.o.db
      .select({ one: raw`1` })
      .from(earlier)
      .where(
        and(
          isNull(earlier.publishedAt),
          eq(earlier.target, outbox.target),
          eq(earlier.userId, outbox.userId),
          lt(earlier.id, outbox.id),
          gt(earlier.nextAttemptAt, raw`now()`),
        ),
      );
    return and(isNull(outbox.publishedAt), ofTarget, lte(outbox.nextAttemptAt, raw`now()`), notExists(blockedBehind));
  }

  private async carry(rows: OutboxRow[]): Promise<Carried> {
    const { publishes, jobQueues } = planPass(rows);
    const timed = <T>(call: () => Promise<T>): Promise<T> => {
      const end = relayCallSeconds.startTimer({ target: this.o.target });
      return call().finally(() => end());
    };
    if (this.o.target === JOBS_TARGET)
      return carryLanes(jobQueues, (row) => timed(() => this.carryJob(row)), this.o.concurrency);
    return publishInOrder(publishes[0]?.chunks ?? [], (chunk) => timed(() => this.publishChunk(chunk)));
  }

  /** One bulk call; the rows it could not publish, with why. */
  private async publishChunk(rows: OutboxRow[]): Promise<Failure[]> {
    return tracedChunk(rows, this.o.target, async (traceparentOf) => {
      const entries = rows.map((row) => ({
        entryId: String(row.id),
        event: row.payload,
        metadata: {
          partitionKey: row.userId,
          "cloudevent.id": row.eventId,
          "cloudevent.traceparent": traceparentOf(row),
        },
      }));
      try {
        return (await this.o.dapr.publishBulk(PUBSUB, this.o.target, entries)).map((f) => ({
          id: Number(f.entryId),
          error: f.error,
        }));
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        return rows.map((r) => ({ id: r.id, error }));
      }
    });
  }

  private carryJob(row: OutboxRow): Promise<void> {
    return tracedJob(row, (traceparent) => this.callJob(row, traceparent));
  }

  private async callJob(row: OutboxRow, traceparent: string): Promise<void> {
    switch (row.kind) {
      case "schedule_job": {
        const job = row.payload as Job;
        return this.o.dapr.scheduleJob(row.target, { ...job, data: { ...(job.data as object), traceparent } });
      }
      case "delete_job":
        return this.o.dapr.deleteJob(row.target);
      default:
        throw new Error(`unknown outbox row kind ${row.kind}`);
    }
  }

  /**
   * Another replica holds this target's lock; what this replica just wrote
   * may not be in that replica's pass. Look again shortly rather than at the
   * next sweep, so a second replica adds no second of latency.
   */
  private soon() {
    if (this.soonTimer) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = undefined;
      this.kick();
    }, 50);
  }

  private backoff(error: string) {
    this.failures += 1;
    this.lastError = error;
    const delay = retryDelayMs(this.failures - 1, this.o.backoff.baseMs, this.o.backoff.capMs);
    this.retryAt = Date.now() + delay;
    const fields = { target: this.o.target, error, retry_in_ms: delay, failures: this.failures };
    if (this.failures === 1 || this.failures % 20 === 0)
      this.o.log.warn("outbox target failing; retrying with backoff", fields);
    setTimeout(() => this.kick(), delay);
  }
}

function byError(failed: Failure[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const f of failed) (groups.get(f.error) ?? groups.set(f.error, []).get(f.error)!).push(f.id);
  return groups;
}

export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: Timer | undefined;
  const deadline = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms)),
  );
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
