// processed_events in recurring's own database. The row is inserted first,
// so a second delivery of the same event waits on its lock and then sees it;
// it commits only if the work succeeded.
import type { Database } from "../db/client.ts";
import { processedEvents } from "../db/schema.ts";
import type { ProcessedEvents } from "../occurrences/service.ts";

export function processedEventsTable(db: Database, consumer: string): ProcessedEvents {
  return {
    once: (eventId, work) =>
      db.transaction(async (tx) => {
        const inserted = await tx
          .insert(processedEvents)
          .values({ consumer, eventId })
          .onConflictDoNothing()
          .returning({ eventId: processedEvents.eventId });
        if (inserted.length === 0) return "duplicate" as const;
        await work();
        return "done" as const;
      }),
  };
}
