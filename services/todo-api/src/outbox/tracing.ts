// The relay's spans: one PRODUCER span per row carried, child of the span
// that wrote the row (its stored traceparent), so the publish sits under the
// original request in its trace even when it happens later or after a
// restart. A published event carries its row's span as the CloudEvent's
// traceparent, so each consumer's spans follow under it.
import { parseTraceparent, startSpan, withSpan, type Span } from "@todo/shared";
import type { OutboxRow } from "../db/schema.ts";
import type { Failure } from "./batches.ts";

export function rowSpan(row: OutboxRow, name: string): Span {
  return startSpan(name, "PRODUCER", {
    parent: parseTraceparent(row.traceparent),
    root: true,
    tags: { "outbox.row": String(row.id), "event.id": row.eventId, target: row.target },
  });
}

/**
 * Publishes a chunk with a span per row; the sidecar's bulk call itself runs
 * under the first row's span (one call cannot sit in every row's trace).
 */
export async function tracedChunk(
  rows: OutboxRow[],
  topic: string,
  publish: (traceparentOf: (row: OutboxRow) => string) => Promise<Failure[]>,
): Promise<Failure[]> {
  const spans = new Map(rows.map((row) => [row.id, rowSpan(row, `publish ${topic}`)]));
  const first = spans.get(rows[0]!.id)!;
  const failed = await withSpan(first, () => publish((row) => spans.get(row.id)!.traceparent));
  const errors = new Map(failed.map((f) => [f.id, f.error]));
  for (const [id, span] of spans) span.end(errors.has(id) ? { error: errors.get(id)! } : {});
  return failed;
}

/**
 * Schedules or deletes a job under its row's span. `call` gets the span's
 * traceparent to put in the job's data: the Scheduler's callback starts a
 * trace of its own, and continues this one from there (reminders/routes.ts).
 */
export async function tracedJob(row: OutboxRow, call: (traceparent: string) => Promise<void>): Promise<void> {
  const span = rowSpan(row, `${row.kind.replace("_", " ")} ${row.target.replace(/-\d+$/, "")}`);
  try {
    await withSpan(span, () => call(span.traceparent));
    span.end();
  } catch (err) {
    span.end({ error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}
