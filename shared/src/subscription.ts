// The one shape every pub/sub consumer has: a table of subscriptions, each a
// topic, a route, a dead-letter topic and a handler answering SUCCESS, RETRY or
// DROP. The table yields the HTTP routes and the expected declarative
// Subscription YAML, so code and dapr/ cannot drift apart unnoticed.
// Payloads hold what users wrote (titles, descriptions): log lines at `info`
// and above carry ids only, payloads go out at `debug`. Each delivered event
// gets one "event received" line, written here once the handler has answered,
// with whatever the handler noted (a duplicate, the sockets reached).
import { Elysia } from "elysia";
import { cloudEventParser, isCloudEvent } from "./dapr/cloudevents.ts";
import { validatePayload, type TopicPayloads } from "./events.ts";
import type { Logger } from "./log.ts";
import { deadLetterTopic, type Topic } from "./topics.ts";
import { appTokenGuard } from "./app-token.ts";
import { expectDeliveries, recordDelivery } from "./metrics/consumer.ts";
import { startSpan, withSpan } from "./tracing/span.ts";
import { deliverBulk } from "./bulk-delivery.ts";

export type HandlerResult = "SUCCESS" | "RETRY" | "DROP";

export interface DeliveredEvent<T> {
  /** The CloudEvent id: the producer's idempotency key. */
  id: string;
  topic: string;
  pubsubname: string;
  source: string | undefined;
  time: string | undefined;
  data: T;
}

/** Adds fields to the event's "event received" log line. */
export type Note = (fields: Record<string, unknown>) => void;

export type EventHandler<T extends Topic> = (
  event: DeliveredEvent<TopicPayloads[T]>,
  note: Note,
) => Promise<HandlerResult>;

/** One entry's answer from a batch handler, with what its log line should add. */
export interface BatchOutcome {
  result: HandlerResult;
  note?: Record<string, unknown>;
}

/**
 * Handles a batch of valid events at once (one statement for all of them);
 * answers one outcome per event, in order. A throw answers RETRY for all.
 */
export type BatchHandler<T extends Topic> = (events: DeliveredEvent<TopicPayloads[T]>[]) => Promise<BatchOutcome[]>;

/** Dapr bulk subscribe: messages arrive in batches of up to this many, or whatever came within this wait. */
export interface BulkDelivery {
  maxMessagesCount: number;
  maxAwaitDurationMs: number;
}

export interface Subscription<T extends Topic = Topic> {
  /** metadata.name of the declarative Subscription resource. */
  name: string;
  pubsubname: string;
  topic: T;
  route: string;
  deadLetterTopic: string;
  handler: EventHandler<T>;
  /** Set: Dapr delivers in batches (bulk-delivery.ts); each entry still gets its own answer. */
  bulk?: BulkDelivery;
  /** With `bulk`: handles a batch's valid events together instead of `handler` one at a time. */
  batchHandler?: BatchHandler<T>;
  /**
   * With `bulk` and `handler`: what an event's order is kept by (the key it
   * was published under). A batch's events of different keys are then
   * handled at once, each key's in order; without it, one after the other.
   */
  orderKey?: (event: DeliveredEvent<TopicPayloads[T]>) => string;
}

/** A subscription to any one topic (the handler's payload type follows the topic). */
export type AnySubscription = { [T in Topic]: Subscription<T> }[Topic];

export function subscription<T extends Topic>(
  spec: Omit<Subscription<T>, "deadLetterTopic"> & { deadLetterTopic?: string },
): Subscription<T> {
  return { deadLetterTopic: deadLetterTopic(spec.topic), ...spec };
}

/**
 * Decides what Dapr should do with one delivered message. Never throws:
 * an invalid payload is logged and dropped (to the dead-letter topic), a
 * handler failure is retried.
 */
export async function deliver(sub: AnySubscription, body: unknown, log: Logger): Promise<HandlerResult> {
  const started = performance.now();
  // Under the request's span, which continues the CloudEvent's traceparent (the sidecar sends it).
  const span = startSpan(`consume ${sub.topic}`, "CONSUMER", { tags: { topic: sub.topic } });
  if (isCloudEvent(body)) span.tag("event_id", body.id);
  const result = await withSpan(span, () => decide(sub, body, log));
  span.end({ result });
  recordDelivery(sub.topic, result, started);
  return result;
}

async function decide(sub: AnySubscription, body: unknown, log: Logger): Promise<HandlerResult> {
  const event = readEvent(sub, body, log);
  if (event === "DROP") return "DROP";
  return handleOne(sub.handler as EventHandler<Topic>, event, {}, log);
}

/** Runs the handler on one valid event and logs it once: the handler's answer, or RETRY when it throws. */
export async function handleOne(
  handler: EventHandler<Topic>,
  event: DeliveredEvent<TopicPayloads[Topic]>,
  noted: Record<string, unknown>,
  log: Logger,
): Promise<HandlerResult> {
  try {
    const result = await handler(event, (more) => Object.assign(noted, more));
    return answered(event, { result, note: noted }, log);
  } catch (err) {
    return failed(event, err, noted, log);
  }
}

/** The delivered event, or DROP (logged) when the body is no CloudEvent or its payload is invalid. */
export function readEvent(
  sub: AnySubscription,
  body: unknown,
  log: Logger,
): DeliveredEvent<TopicPayloads[Topic]> | "DROP" {
  if (!isCloudEvent(body)) {
    log.warn("dropping a message that is not a CloudEvent", { topic: sub.topic });
    log.debug("the message that is not a CloudEvent", { topic: sub.topic, body: preview(body) });
    return "DROP";
  }
  const fields = { event_id: body.id, topic: sub.topic };
  const data = body.data ?? body.data_base64;
  const checked = validatePayload(sub.topic, data);
  if (!checked.ok) {
    log.warn("dropping an invalid payload", { ...fields, errors: checked.errors });
    log.debug("the invalid payload", { ...fields, data: preview(data) });
    return "DROP";
  }
  log.debug("event payload", { ...fields, data: checked.value });
  return {
    id: body.id,
    topic: sub.topic,
    pubsubname: body.pubsubname ?? sub.pubsubname,
    source: body.source,
    time: body.time,
    data: checked.value,
  };
}

/** Writes the event's "event received" line (and why, when not SUCCESS); returns the answer. */
export function answered(
  event: DeliveredEvent<TopicPayloads[Topic]>,
  outcome: BatchOutcome,
  log: Logger,
): HandlerResult {
  log.info("event received", { ...eventFields(event), ...outcome.note });
  if (outcome.result !== "SUCCESS")
    log.info(`handler answered ${outcome.result}`, { event_id: event.id, topic: event.topic });
  return outcome.result;
}

/** A handler threw: the event is logged and redelivered. */
export function failed(
  event: DeliveredEvent<TopicPayloads[Topic]>,
  err: unknown,
  noted: Record<string, unknown>,
  log: Logger,
): HandlerResult {
  log.info("event received", { ...eventFields(event), ...noted });
  log.error("handler failed; asking for redelivery", {
    event_id: event.id,
    topic: event.topic,
    error: err instanceof Error ? err.message : String(err),
  });
  return "RETRY";
}

/** What names a delivered event in a log line: its ids, never its payload. */
export function eventFields(event: DeliveredEvent<TopicPayloads[Topic]>): Record<string, unknown> {
  const { data } = event;
  return {
    event_id: event.id,
    topic: event.topic,
    source: event.source,
    task_id: data.task_id,
    user_id: data.user_id,
    ...("event_type" in data ? { event_type: data.event_type } : {}),
    ...("operation" in data ? { operation: data.operation } : {}),
  };
}

/** The POST routes Dapr delivers to, one per subscription. */
export function subscriptionRoutes(subs: AnySubscription[], log: Logger, appToken: string | undefined) {
  const app = new Elysia({ name: "subscriptions" }).use(cloudEventParser).use(appTokenGuard(appToken));
  for (const sub of subs) {
    expectDeliveries(sub.topic);
    if (sub.bulk) app.post(sub.route, async ({ body }) => deliverBulk(sub, body, log));
    else app.post(sub.route, async ({ body }) => ({ status: await deliver(sub, body, log) }));
  }
  return app;
}

/** The declarative Subscription each entry implies, as dapr/subscriptions must hold it. */
export function expectedSubscriptionResource(sub: AnySubscription, scopes: string[]) {
  return {
    apiVersion: "dapr.io/v2alpha1",
    kind: "Subscription",
    metadata: { name: sub.name },
    spec: {
      pubsubname: sub.pubsubname,
      topic: sub.topic,
      routes: { default: sub.route },
      deadLetterTopic: sub.deadLetterTopic,
      ...(sub.bulk ? { bulkSubscribe: { enabled: true, ...sub.bulk } } : {}),
    },
    scopes,
  };
}

function preview(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 500 ? `${text.slice(0, 500)}… (${text.length} chars)` : text;
}
