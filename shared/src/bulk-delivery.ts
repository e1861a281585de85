// Dapr bulk subscribe: the sidecar posts a batch of messages in one request
// and wants one answer per entry, so the handler contract holds per message:
// an invalid entry alone is dropped (the sidecar parks it in the dead-letter
// topic), a RETRY or a failure redelivers only the entries it covers (with
// an order key, the entries of other keys go on at once), every
// entry is counted in the metrics, logged once and consumed under its own
// span, continuing its own CloudEvent's traceparent (the request's headers
// carry only one of them). Shapes: dapr's BulkSubscribeEnvelope and
// AppBulkResponse.
import type { Logger } from "./log.ts";
import { isCloudEvent } from "./dapr/cloudevents.ts";
import type { TopicPayloads } from "./events.ts";
import { recordBatch, recordDelivery } from "./metrics/consumer.ts";
import {
  answered,
  failed,
  handleOne,
  readEvent,
  type AnySubscription,
  type BatchHandler,
  type BatchOutcome,
  type DeliveredEvent,
  type EventHandler,
  type HandlerResult,
} from "./subscription.ts";
import type { Topic } from "./topics.ts";
import { parseTraceparent, startSpan, withSpan, type Span } from "./tracing/span.ts";

export interface BulkResponse {
  statuses: { entryId: string; status: HandlerResult }[];
}

interface Entry {
  entryId: string;
  span: Span;
  event: DeliveredEvent<TopicPayloads[Topic]> | undefined;
  result?: HandlerResult;
}

/** Answers one status per entry of a bulk delivery. Never throws; an unreadable body answers no entry (Dapr retries them all). */
export async function deliverBulk(sub: AnySubscription, body: unknown, log: Logger): Promise<BulkResponse> {
  const started = performance.now();
  const raw = bulkEntries(body);
  if (!raw) {
    log.warn("a bulk delivery without entries; Dapr retries it", { topic: sub.topic });
    return { statuses: [] };
  }
  recordBatch(sub.topic, raw.length);
  const entries: Entry[] = raw.map(({ entryId, event }) => {
    const traceparent = isCloudEvent(event) && typeof event.traceparent === "string" ? event.traceparent : undefined;
    const span = startSpan(`consume ${sub.topic}`, "CONSUMER", {
      parent: parseTraceparent(traceparent),
      tags: { topic: sub.topic, bulk: "true" },
    });
    if (isCloudEvent(event)) span.tag("event_id", event.id);
    const read = withSpan(span, () => readEvent(sub, event, log));
    return read === "DROP" ? { entryId, span, event: undefined, result: "DROP" } : { entryId, span, event: read };
  });
  const valid = entries.filter((e) => e.event !== undefined);
  if (valid.length > 0) {
    // Each entry's log line says how many came with it.
    const batch = { batch: raw.length };
    const handler = sub.handler as EventHandler<Topic>;
    const orderKey = sub.orderKey as ((event: DeliveredEvent<TopicPayloads[Topic]>) => string) | undefined;
    if (sub.batchHandler) await handleTogether(sub.batchHandler as BatchHandler<Topic>, valid, batch, log);
    else if (orderKey)
      await Promise.all(byKey(valid, orderKey).map((same) => handleInOrder(handler, same, batch, log)));
    else await handleInOrder(handler, valid, batch, log);
  }
  return {
    statuses: entries.map((e) => {
      const status = e.result ?? "RETRY";
      e.span.end({ result: status });
      recordDelivery(sub.topic, status, started);
      return { entryId: e.entryId, status };
    }),
  };
}

/** One call for the whole batch; a throw (or a wrong number of answers) retries every entry. */
async function handleTogether(
  handler: BatchHandler<Topic>,
  entries: Entry[],
  batch: Record<string, unknown>,
  log: Logger,
): Promise<void> {
  const events = entries.map((e) => e.event!);
  let outcomes: BatchOutcome[];
  try {
    // One piece of work for all: it runs under the first entry's span (exact
    // for a batch of one), so what it sets off (notification's dispatcher)
    // stays in a trace; every entry's own span still covers it.
    outcomes = await withSpan(entries[0]!.span, () => handler(events));
    if (outcomes.length !== events.length)
      throw new Error(`the batch handler answered ${outcomes.length} of ${events.length} entries`);
  } catch (err) {
    for (const e of entries) e.result = withSpan(e.span, () => failed(e.event!, err, batch, log));
    return;
  }
  entries.forEach((e, i) => {
    const { result, note } = outcomes[i]!;
    e.result = answered(e.event!, { result, note: { ...batch, ...note } }, log);
  });
}

/**
 * One entry after the other, each under its own span. After a RETRY the rest
 * of the batch (or of its key's entries) is not handled but retried too, so
 * the redelivery keeps their order, as one message at a time would.
 */
async function handleInOrder(
  handler: EventHandler<Topic>,
  entries: Entry[],
  batch: Record<string, unknown>,
  log: Logger,
): Promise<void> {
  for (const [i, e] of entries.entries()) {
    const event = e.event!;
    e.result = await withSpan(e.span, () => handleOne(handler, event, { ...batch }, log));
    if (e.result === "RETRY") {
      const rest = entries.slice(i + 1);
      for (const later of rest) later.result = "RETRY";
      if (rest.length > 0)
        log.info("retrying the rest of the batch behind a retried entry, in order", {
          topic: event.topic,
          event_ids: rest.map((r) => r.event!.id),
        });
      return;
    }
  }
}

/** The entries grouped by their order key, each group in delivery order. */
function byKey(entries: Entry[], key: (event: DeliveredEvent<TopicPayloads[Topic]>) => string): Entry[][] {
  const groups = new Map<string, Entry[]>();
  for (const e of entries) {
    const k = key(e.event!);
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(e);
  }
  return [...groups.values()];
}

function bulkEntries(body: unknown): { entryId: string; event: unknown }[] | undefined {
  const entries = (body as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(entries)) return undefined;
  return entries.filter(
    (e): e is { entryId: string; event: unknown } =>
      typeof e === "object" && e !== null && typeof (e as { entryId?: unknown }).entryId === "string",
  );
}
