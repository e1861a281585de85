// The outbox relay: one TargetRelay per target (each topic, and the Jobs
// API), so a target that is down delays only the rows that need it. This
// module starts them, wakes them after commits and on a timer (rows another
// replica wrote, rows whose back-off ended), prunes published rows, and
// reports the backlog per target (the state log line and /readyz).
import { TOPICS, type DaprClient, type Logger } from "@todo/shared";
import { lt } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { outbox } from "../db/schema.ts";
import { JOBS_TARGET } from "./batches.ts";
import { readBacklog, type TargetState } from "./state.ts";
import { TargetRelay, withDeadline, type Backoff } from "./target-relay.ts";

export interface RelayOptions {
  db: Database;
  dapr: Pick<DaprClient, "publishBulk" | "scheduleJob" | "deleteJob">;
  log: Logger;
  batchSize?: number;
  /** How often to look for rows nobody kicked us about (other replicas, crashes, ended back-offs). */
  sweepMs?: number;
  /** Published rows are deleted after this long. */
  retentionMs?: number;
  /** Job lanes carried side by side. */
  concurrency?: number;
  backoff?: Backoff;
  /** How often the state line is logged while anything waits. */
  stateLogMs?: number;
}

export class OutboxRelay {
  private readonly targets = new Map<string, TargetRelay>();
  private readonly timers: Timer[] = [];
  private stopped = false;
  private lastPrune = 0;
  private pruning: Promise<void> | undefined;
  private quiet = true;

  constructor(private readonly o: RelayOptions) {
    for (const target of [...Object.values(TOPICS), JOBS_TARGET]) this.target(target);
  }

  start(): void {
    this.timers.push(setInterval(() => this.kick(), this.o.sweepMs ?? 1000));
    this.timers.push(setInterval(() => void this.logState(), this.o.stateLogMs ?? 30_000));
    // Rows of a target this replica has no loop for (a topic a newer version writes to) get one.
    this.timers.push(setInterval(() => void this.state().catch(() => {}), 5000));
    this.kick();
  }

  /**
   * Asks for a pass soon; called after every commit that wrote outbox rows,
   * with the targets it wrote to when it knows them. Each pass is a
   * transaction, so waking the targets a commit did not write to (a create
   * writes no job row) costs statements that find nothing; the sweep timer
   * still looks at every target.
   */
  kick(targets?: Iterable<string>): void {
    if (this.stopped) return;
    if (targets) for (const target of new Set(targets)) this.target(target).kick();
    else for (const relay of this.targets.values()) relay.kick();
    this.pruning ??= withDeadline(this.prune(), 30_000, "pruning the outbox")
      .catch((err) =>
        this.o.log.warn("pruning the outbox failed", { error: err instanceof Error ? err.message : String(err) }),
      )
      .finally(() => (this.pruning = undefined));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all([...[...this.targets.values()].map((relay) => relay.stop()), this.pruning]);
  }

  /** The backlog per target (from the database, so every replica's rows) and this replica's view of each target. */
  async state(): Promise<Record<string, TargetState>> {
    const backlog = await readBacklog(this.o.db);
    for (const target of Object.keys(backlog)) this.target(target); // a target no relay serves yet (a new topic)
    return Object.fromEntries(
      [...this.targets].map(([target, relay]) => [
        target,
        { ...(backlog[target] ?? { pending: 0, oldest_pending_age_ms: 0, retrying: 0 }), ...relay.health() },
      ]),
    );
  }

  private target(name: string): TargetRelay {
    let relay = this.targets.get(name);
    if (!relay) {
      relay = new TargetRelay({
        target: name,
        db: this.o.db,
        dapr: this.o.dapr,
        log: this.o.log,
        batchSize: this.o.batchSize ?? 200,
        concurrency: this.o.concurrency ?? 16,
        backoff: this.o.backoff ?? { baseMs: 250, capMs: 10_000 },
      });
      this.targets.set(name, relay);
      if (!this.stopped && this.timers.length) relay.kick();
    }
    return relay;
  }

  /** Logged while anything waits or fails, and once more when all is clear again. */
  private async logState(): Promise<void> {
    try {
      const targets = await this.state();
      const busy = Object.values(targets).some((t) => t.pending > 0 || t.failing);
      if (busy || !this.quiet) this.o.log.info("outbox relay state", { targets });
      this.quiet = !busy;
    } catch (err) {
      this.o.log.warn("reading the outbox backlog failed", { error: err instanceof Error ? err.message : String(err) });
    }
  }

  private async prune(): Promise<void> {
    if (Date.now() - this.lastPrune < 60_000) return;
    this.lastPrune = Date.now();
    await this.o.db
      .delete(outbox)
      .where(lt(outbox.publishedAt, new Date(Date.now() - (this.o.retentionMs ?? 24 * 3600_000))));
  }
}
