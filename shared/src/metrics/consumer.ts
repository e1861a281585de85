// What each pub/sub consumer did with the messages of each topic (SUCCESS,
// RETRY, DROP: a DROP goes to the topic's dead-letter topic) and how long its
// handler took. Recorded by the shared delivery code, so every consumer has them.
import type { HandlerResult } from "../subscription.ts";
import { counter, DURATION_BUCKETS, histogram } from "./registry.ts";

const outcomes = () =>
  counter({
    name: "todo_consumer_messages_total",
    help: "Messages delivered to this service's subscriptions, by topic and the answer given to Dapr.",
    labelNames: ["topic", "result"],
  });

const handlerSeconds = () =>
  histogram({
    name: "todo_consumer_handler_duration_seconds",
    help: "Time from a message reaching the subscription route to its answer, by topic and result.",
    labelNames: ["topic", "result"],
    buckets: DURATION_BUCKETS,
  });

const RESULTS: HandlerResult[] = ["SUCCESS", "RETRY", "DROP"];

/** Counts one delivery's answer and how long it took to give it. */
export function recordDelivery(topic: string, result: HandlerResult, startedAt: number): void {
  outcomes().inc({ topic, result });
  handlerSeconds().observe({ topic, result }, (performance.now() - startedAt) / 1000);
}

/**
 * Every answer's series starts at zero when a subscription is set up, so a
 * rate of DROPs or RETRYs reads 0 rather than "no data" before the first one.
 */
export function expectDeliveries(topic: string): void {
  for (const result of RESULTS) outcomes().inc({ topic, result }, 0);
}

const batchEntries = () =>
  histogram({
    name: "todo_consumer_batch_entries",
    help: "Messages per bulk delivery (Dapr bulk subscribe), by topic.",
    labelNames: ["topic"],
    buckets: [1, 2, 5, 10, 25, 50, 100, 250],
  });

/** Counts how many messages one bulk delivery carried. */
export function recordBatch(topic: string, entries: number): void {
  batchEntries().observe({ topic }, entries);
}
