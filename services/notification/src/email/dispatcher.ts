// Sends the pending reminder emails, apart from the Kafka consumer so a slow
// or absent mail server never stalls a partition. Each delivery is claimed
// with a lease (replicas never send one at the same time), every attempt is
// recorded, failures back off exponentially, and after the last attempt the
// delivery is marked failed, visible in the feed. A crash between the
// server's acceptance and our commit can resend once: SMTP offers no more
// than at-least-once, and the fixed Message-ID lets mail systems spot it.
import type { Logger } from "@todo/shared";
import { eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { emailAttempts, emailDeliveries, notifications, type NotificationRow } from "../db/schema.ts";
import { composeReminder } from "./compose.ts";
import { afterFailure, type RetryPolicy } from "./retry.ts";
import { emailAttemptCounter } from "../metrics.ts";

/** Stop retrying a record this long before the lease ends, so no other replica claims the delivery meanwhile. */
const RECORD_MARGIN_MS = 5_000;

export interface Mailer {
  send(message: {
    to: string;
    subject: string;
    text: string;
    messageId: string;
  }): Promise<{ ok: true; messageId: string } | { ok: false; error: string; permanent: boolean }>;
  close(): void;
}

export interface Contacts {
  /** The address (null when the user has none); throws when it cannot be looked up now. */
  lookup(userId: string): Promise<{ email: string | null; name: string | null }>;
}

export interface DispatcherDeps {
  db: Database;
  mailer: Mailer;
  contacts: Contacts;
  log: Logger;
  policy: RetryPolicy;
  pollMs: number;
  /** How long a claimed delivery stays ours; longer than one SMTP conversation can take. */
  leaseMs: number;
  timeZone: string;
  batch?: number;
}

export class EmailDispatcher {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly deps: DispatcherDeps) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.deps.pollMs);
    this.kick();
  }

  /** Looks for due deliveries now (after a new reminder was recorded). */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => (this.running = undefined));
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    this.deps.mailer.close();
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      try {
        while ((await this.runOnce()) > 0);
      } catch (err) {
        this.deps.log.error("email dispatcher failed; trying again on the next tick", { error: err });
      }
    } while (this.again);
  }

  /** Claims and attempts the due deliveries; returns how many it handled. */
  async runOnce(): Promise<number> {
    const { db, leaseMs, batch = 25 } = this.deps;
    const leaseEnds = Date.now() + leaseMs;
    const claimed = await db.execute<{ notification_id: string; attempts: number }>(sql`
      update ${emailDeliveries} d set lease_until = now() + make_interval(secs => ${leaseMs / 1000})
      from (
        select notification_id from ${emailDeliveries}
        where status = 'pending' and next_attempt_at <= now() and (lease_until is null or lease_until < now())
        order by next_attempt_at limit ${batch} for update skip locked
      ) due
      where d.notification_id = due.notification_id
      returning d.notification_id, d.attempts`);
    if (claimed.length === 0) return 0;
    const rows = await db
      .select()
      .from(notifications)
      .where(
        inArray(
          notifications.id,
          claimed.map((c) => Number(c.notification_id)),
        ),
      );
    await Promise.all(
      rows.map((n) =>
        this.attempt(n, (claimed.find((c) => Number(c.notification_id) === n.id)?.attempts ?? 0) + 1, leaseEnds),
      ),
    );
    return claimed.length;
  }

  private async attempt(n: NotificationRow, attempt: number, leaseEnds: number): Promise<void> {
    const fields = { notification_id: n.id, task_id: n.taskId, user_id: n.userId, attempt };
    let contact: { email: string | null; name: string | null };
    try {
      contact = await this.deps.contacts.lookup(n.userId);
    } catch (err) {
      return this.defer(n, `contact lookup failed: ${err instanceof Error ? err.message : String(err)}`, fields);
    }
    if (!contact.email) {
      await this.deps.db
        .update(emailDeliveries)
        .set({ status: "no_address", leaseUntil: null })
        .where(eq(emailDeliveries.notificationId, n.id));
      this.deps.log.info("user has no email address; in-app notification only", fields);
      return;
    }
    const email = composeReminder({ title: n.title, dueAt: n.dueAt, name: contact.name }, this.deps.timeZone);
    const result = await this.deps.mailer.send({
      to: contact.email,
      ...email,
      messageId: `<reminder-${n.id}-${n.taskId}@todo-platform>`,
    });
    emailAttemptCounter.inc({ result: result.ok ? "sent" : result.permanent ? "failed_permanently" : "failed" });
    if (!result.ok) return this.failed(n, attempt, contact.email, result.error, result.permanent, fields);
    await this.recordSent(n.id, attempt, contact.email, leaseEnds, fields);
    this.deps.log.info("reminder email sent", { ...fields, message_id: result.messageId });
  }

  /**
   * The mail server has the message: from here a failure to record it would
   * send it again once the lease runs out. So a failed write (the database
   * restarting) is retried while the lease is ours; only a longer outage, or
   * a crash, leaves the at-least-once resend the module comment allows.
   */
  private async recordSent(
    notificationId: number,
    attempt: number,
    recipient: string,
    leaseEnds: number,
    fields: Record<string, unknown>,
  ) {
    for (let waitMs = 250; ; waitMs = Math.min(2 * waitMs, 2000)) {
      try {
        // One statement, so one round trip, not a transaction's four: every
        // email of a burst of reminders records its send this way.
        await this.deps.db.execute(sql`
          with sent as (
            update ${emailDeliveries}
            set status = 'sent', attempts = ${attempt}, sent_at = now(), recipient = ${recipient},
              lease_until = null, last_error = null
            where notification_id = ${notificationId}
            returning notification_id
          )
          insert into ${emailAttempts} (notification_id, attempt, outcome, recipient)
          select notification_id, ${attempt}, 'sent', ${recipient} from sent`);
        return;
      } catch (err) {
        if (Date.now() + waitMs > leaseEnds - RECORD_MARGIN_MS) throw err;
        this.deps.log.warn("reminder email sent but not yet recorded; retrying the record so it is not sent again", {
          ...fields,
          error: err,
        });
        await Bun.sleep(waitMs);
      }
    }
  }

  /**
   * Not an attempt: the mail server was never asked. When todo-api cannot
   * tell us the address (restarting, its database restarting) the delivery
   * waits one base interval and keeps its whole attempt budget, which is
   * there for the mail server's failures, so an outage of our own cannot
   * turn a reminder email into a failed one.
   */
  private async defer(n: NotificationRow, error: string, fields: Record<string, unknown>) {
    await this.deps.db
      .update(emailDeliveries)
      .set({ leaseUntil: null, lastError: error, nextAttemptAt: new Date(Date.now() + this.deps.policy.baseMs) })
      .where(eq(emailDeliveries.notificationId, n.id));
    this.deps.log.warn("reminder email deferred; the recipient could not be looked up", { ...fields, error });
  }

  private async failed(
    n: NotificationRow,
    attempt: number,
    recipient: string | null,
    error: string,
    permanent: boolean,
    fields: Record<string, unknown>,
  ) {
    const next = afterFailure(attempt, permanent, this.deps.policy, new Date());
    await this.deps.db.transaction(async (tx) => {
      await tx
        .update(emailDeliveries)
        .set({
          status: next.status,
          attempts: attempt,
          leaseUntil: null,
          lastError: error,
          recipient,
          ...(next.status === "pending" ? { nextAttemptAt: next.nextAttemptAt } : {}),
        })
        .where(eq(emailDeliveries.notificationId, n.id));
      await tx.insert(emailAttempts).values({ notificationId: n.id, attempt, outcome: "failed", recipient, error });
    });
    if (next.status === "failed")
      this.deps.log.error("reminder email failed for good", { ...fields, error, permanent });
    else
      this.deps.log.warn("reminder email attempt failed; will retry", {
        ...fields,
        error,
        retry_at: next.nextAttemptAt.toISOString(),
      });
  }
}
