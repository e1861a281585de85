// Carries outbox rows out through the sidecar: publishes events (in bulk
// calls, see batches.ts), schedules and deletes reminder jobs. Rows are taken
// in id order; one user's events of a topic, and its jobs, go strictly in
// order (a failure stops the rest of them until the next pass). A row is
// marked done only after the sidecar accepted it, so a crash in between means
// a redelivery with the same event id, never a loss. One replica relays at a
// time: each pass runs in a transaction holding an advisory lock, which keeps
// per-user order across replicas too (and, unlike a session lock on a
// reserved connection, cannot outlive a database restart in a broken state).
import { PUBSUB, type DaprClient, type Job, type Logger } from "@todo/shared";
import { and, asc, inArray, isNull, lt, sql as raw } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { outbox, type OutboxRow } from "../db/schema.ts";
import { deliveredInOrder, planPass } from "./batches.ts";

const RELAY_LOCK = 7_262_002;

export interface RelayOptions {
  db: Database;
  dapr: Pick<DaprClient, "publishBulk" | "scheduleJob" | "deleteJob">;
  log: Logger;
  batchSize?: number;
  /** How often to look for rows nobody kicked us about (other replicas, crashes). */
  sweepMs?: number;
  /** Published rows are deleted after this long. */
  retentionMs?: number;
  /** Parallel users per pass. */
  concurrency?: number;
}

export class OutboxRelay {
  private readonly batchSize: number;
  private readonly sweepMs: number;
  private readonly retentionMs: number;
  private readonly concurrency: number;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private failures = 0;
  private retryAt = 0;
  private timer: Timer | null = null;
  private lastPrune = 0;

  constructor(private readonly o: RelayOptions) {
    this.batchSize = o.batchSize ?? 200;
    this.sweepMs = o.sweepMs ?? 1000;
    this.retentionMs = o.retentionMs ?? 24 * 3600_000;
    this.concurrency = o.concurrency ?? 16;
  }

  start(): void {
    this.timer = setInterval(() => this.kick(), this.sweepMs);
    this.kick();
  }

  /** Asks for a pass soon; called after every commit that wrote outbox rows. */
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
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      if (Date.now() < this.retryAt) return; // backing off; the sweep timer comes back
      try {
        // Bounded: a query on a connection the database dropped can wait forever,
        // and a relay stuck in one pass never publishes again.
        const full = await withDeadline(this.pass(), 60_000, "an outbox pass");
        await withDeadline(this.prune(), 30_000, "pruning the outbox");
        this.failures = 0;
        if (full) this.again = true;
      } catch (err) {
        this.backoff(err);
      }
    } while (this.again && !this.stopped);
  }

  /** One batch; true when the batch was full (more may be waiting). */
  private async pass(): Promise<boolean> {
    const { full, failure } = await this.o.db.transaction(async (tx) => {
      const [lock] = await tx.execute<{ locked: boolean }>(raw`select pg_try_advisory_xact_lock(${RELAY_LOCK}) as locked`);
      if (!lock?.locked) return { full: false }; // another replica is relaying
      const rows = await tx.select().from(outbox).where(isNull(outbox.publishedAt)).orderBy(asc(outbox.id)).limit(this.batchSize);
      if (!rows.length) return { full: false };
      const { done, failed } = await this.carryAll(rows);
      if (done.length) await tx.update(outbox).set({ publishedAt: new Date() }).where(inArray(outbox.id, done));
      for (const f of failed) {
        await tx.update(outbox).set({ attempts: raw`${outbox.attempts} + 1`, lastError: f.error.slice(0, 1000) }).where(inArray(outbox.id, [f.id]));
      }
      const failure = failed.length ? `${failed.length} outbox row(s) not delivered: ${failed[0]!.error}` : undefined;
      return { full: !failure && rows.length === this.batchSize, failure };
    });
    // Thrown after the commit, so what was delivered stays marked; the loop then backs off.
    if (failure) throw new Error(failure);
    return full;
  }

  /**
   * Publishes each topic's rows in bulk calls (one topic's calls one after
   * another, so a user's events keep their order; topics side by side) and
   * carries job rows per user in order, users in parallel. A user's first
   * failure holds back the rest of its rows of that topic or of its jobs.
   */
  private async carryAll(rows: OutboxRow[]) {
    const { publishes, jobQueues } = planPass(rows);
    const done: number[] = [];
    const failed: { id: number; error: string }[] = [];

    const publishTopic = async (topic: string, chunks: OutboxRow[][]) => {
      const failedIds = new Set<number>();
      for (const chunk of chunks) {
        for (const f of await this.publishChunk(topic, chunk)) {
          failedIds.add(f.id);
          failed.push(f);
        }
      }
      done.push(...deliveredInOrder(chunks.flat(), failedIds));
    };
    const carryJobs = async () => {
      for (let queue = jobQueues.shift(); queue; queue = jobQueues.shift()) {
        for (const row of queue) {
          try {
            await this.carryJob(row);
            done.push(row.id);
          } catch (err) {
            failed.push({ id: row.id, error: err instanceof Error ? err.message : String(err) });
            break; // keep this user's order: the rest waits for the next pass
          }
        }
      }
    };
    await Promise.all([
      ...publishes.map(({ topic, chunks }) => publishTopic(topic, chunks)),
      ...Array.from({ length: Math.min(this.concurrency, jobQueues.length) }, carryJobs),
    ]);
    return { done, failed };
  }

  /** One bulk call; the rows it could not publish, with why. */
  private async publishChunk(topic: string, rows: OutboxRow[]): Promise<{ id: number; error: string }[]> {
    const entries = rows.map((row) => ({
      entryId: String(row.id),
      event: row.payload,
      metadata: { partitionKey: row.userId, "cloudevent.id": row.eventId },
    }));
    try {
      return (await this.o.dapr.publishBulk(PUBSUB, topic, entries)).map((f) => ({ id: Number(f.entryId), error: f.error }));
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      return rows.map((r) => ({ id: r.id, error }));
    }
  }

  private async carryJob(row: OutboxRow): Promise<void> {
    switch (row.kind) {
      case "schedule_job":
        return this.o.dapr.scheduleJob(row.target, row.payload as Job);
      case "delete_job":
        return this.o.dapr.deleteJob(row.target);
      default:
        throw new Error(`unknown outbox row kind ${row.kind}`);
    }
  }

  private backoff(err: unknown) {
    this.failures += 1;
    const delay = Math.min(100 * 2 ** (this.failures - 1), 5000);
    this.retryAt = Date.now() + delay;
    const fields = { error: err instanceof Error ? err.message : String(err), retry_in_ms: delay, failures: this.failures };
    if (this.failures === 1 || this.failures % 20 === 0) this.o.log.warn("outbox relay failed; retrying with backoff", fields);
    setTimeout(() => this.kick(), delay);
  }

  private async prune() {
    if (Date.now() - this.lastPrune < 60_000) return;
    this.lastPrune = Date.now();
    await this.o.db.delete(outbox).where(and(lt(outbox.publishedAt, new Date(Date.now() - this.retentionMs))));
  }
}

function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: Timer | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms)));
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
