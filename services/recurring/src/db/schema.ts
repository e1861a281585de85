// recurring's table (database `recurring`): which task-events it has acted on.
import { primaryKey, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const processedEvents = pgTable(
  "processed_events",
  {
    consumer: text("consumer").notNull(),
    eventId: text("event_id").notNull(),
    processedAt: timestamp("processed_at", { withTimezone: true, mode: "date", precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.consumer, t.eventId] })],
);

export const schema = { processedEvents };
