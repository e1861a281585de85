// Where this instance's live stream begins. ws-sync's consumer group starts a
// partition it has no committed offset for at the oldest record (see
// dapr/components/pubsub-fanout.yaml): that is what makes a re-created
// task-updates topic safe, but it also hands a new instance the topic's
// retained history. Updates published before this instance started are read
// past, never sent: its clients fetched (or will refetch) that state over
// REST, and the replay window already says it holds nothing older than its
// start.

/**
 * A CloudEvent's `time` is the publishing sidecar's clock, to the second
 * (RFC 3339 without fractions): records published up to a second after the
 * start can carry an earlier time, and hosts' clocks differ a little. A
 * few seconds of history sent again is harmless (an update carries the
 * whole task, and clients keep the newer of two); an update lost is not.
 */
export const HISTORY_MARGIN_MS = 10_000;

export class LiveFrom {
  private readonly from: number;

  constructor(startedAt: number = Date.now(), marginMs = HISTORY_MARGIN_MS) {
    this.from = startedAt - marginMs;
  }

  /**
   * True when an update published at `publishedAt` (the CloudEvent's `time`)
   * is history this instance must not send. An event without a readable
   * time is sent: losing an update is worse than repeating one.
   */
  isHistory(publishedAt: string | undefined): boolean {
    const at = publishedAt === undefined ? Number.NaN : Date.parse(publishedAt);
    return Number.isFinite(at) && at < this.from;
  }
}
