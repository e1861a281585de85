// Reading the feed (newest first, keyset-paginated by id) and marking a
// notification read, always within one user's notifications.
import { invalid, notFound, type FeedItem, type FeedPage, type FeedQuery } from "@todo/shared";
import { and, count, desc, eq, isNull, lt } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { emailDeliveries, notifications, type DeliveryRow, type NotificationRow } from "../db/schema.ts";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toItem(n: NotificationRow, d: DeliveryRow | null): FeedItem {
  return {
    id: n.id,
    task_id: n.taskId,
    title: n.title,
    due_at: n.dueAt.toISOString(),
    remind_at: n.remindAt.toISOString(),
    created_at: n.createdAt.toISOString(),
    read: n.readAt !== null,
    read_at: iso(n.readAt),
    email: {
      status: (d?.status ?? "pending") as FeedItem["email"]["status"],
      attempts: d?.attempts ?? 0,
      sent_at: iso(d?.sentAt ?? null),
    },
  };
}

export class FeedService {
  constructor(private readonly db: Database) {}

  async list(query: FeedQuery): Promise<FeedPage> {
    const limit = query.limit ?? 20;
    let before: number | undefined;
    if (query.cursor !== undefined) {
      before = Number(query.cursor);
      if (!/^[1-9]\d{0,15}$/.test(query.cursor) || !Number.isSafeInteger(before))
        throw invalid({ cursor: "is not a cursor this feed gave out" });
    }
    const mine = eq(notifications.userId, query.user_id);
    const rows = await this.db
      .select()
      .from(notifications)
      .leftJoin(emailDeliveries, eq(emailDeliveries.notificationId, notifications.id))
      .where(before === undefined ? mine : and(mine, lt(notifications.id, before)))
      .orderBy(desc(notifications.id))
      .limit(limit + 1);
    const [unread] = await this.db
      .select({ n: count() })
      .from(notifications)
      .where(and(mine, isNull(notifications.readAt)));
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => toItem(r.notifications, r.email_deliveries)),
      next_cursor: rows.length > limit ? String(page.at(-1)!.notifications.id) : null,
      unread_count: unread?.n ?? 0,
    };
  }

  /** Marks one of the user's notifications read (again is fine); someone else's is not found. */
  async markRead(userId: string, id: number): Promise<FeedItem> {
    if (!Number.isSafeInteger(id) || id < 1) throw notFound("Notification not found");
    const mine = and(eq(notifications.id, id), eq(notifications.userId, userId));
    await this.db
      .update(notifications)
      .set({ readAt: new Date() })
      .where(and(mine, isNull(notifications.readAt)));
    const [row] = await this.db
      .select()
      .from(notifications)
      .leftJoin(emailDeliveries, eq(emailDeliveries.notificationId, notifications.id))
      .where(mine);
    if (!row) throw notFound("Notification not found");
    return toItem(row.notifications, row.email_deliveries);
  }
}
