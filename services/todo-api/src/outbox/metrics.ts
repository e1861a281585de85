// The outbox in Prometheus terms: per target, how many rows wait and how old
// the oldest is (read from the database at scrape time, so every replica
// reports the same backlog), and how each relay call to the sidecar went.
import { counter, DURATION_BUCKETS, histogram, scrapedGauge } from "@todo/shared";
import type { Backlog } from "./state.ts";

/**
 * Reads the backlog of every target (idle ones at 0) on each scrape; a failed
 * read leaves the gauges as they were.
 */
export function outboxBacklogMetrics(read: () => Promise<Record<string, Backlog>>): void {
  // One query per scrape, shared by both gauges.
  let cached: { at: number; value: Promise<Record<string, Backlog> | undefined> } | undefined;
  const backlog = () => {
    if (!cached || Date.now() - cached.at > 1000) cached = { at: Date.now(), value: read().catch(() => undefined) };
    return cached.value;
  };
  scrapedGauge(
    {
      name: "todo_outbox_pending_rows",
      help: "Outbox rows not yet carried to their target (a topic, or the Jobs API).",
      labelNames: ["target"],
    },
    async (g) => {
      const b = await backlog();
      if (b) for (const [target, state] of Object.entries(b)) g.set({ target }, state.pending);
    },
  );
  scrapedGauge(
    {
      name: "todo_outbox_oldest_pending_age_seconds",
      help: "Age of the oldest outbox row not yet carried to its target; 0 when none waits.",
      labelNames: ["target"],
    },
    async (g) => {
      const b = await backlog();
      if (b) for (const [target, state] of Object.entries(b)) g.set({ target }, state.oldest_pending_age_ms / 1000);
    },
  );
}

export const relayCallSeconds = histogram({
  name: "todo_outbox_relay_call_duration_seconds",
  help: "Time one relay call to the sidecar took (a bulk publish, or a job scheduled or deleted), by target.",
  labelNames: ["target"],
  buckets: DURATION_BUCKETS,
});

export const relayFailures = counter({
  name: "todo_outbox_relay_failures_total",
  help: "Outbox rows the sidecar did not accept on an attempt (retried after a back-off), by target.",
  labelNames: ["target"],
});

/** Both series exist from the start, at zero, so an alert's rate reads 0 rather than nothing. */
export function expectTarget(target: string): void {
  relayFailures.inc({ target }, 0);
}
