// What happens after a failed email attempt: try again later (exponential
// backoff), or give up and mark the delivery failed. Pure, so it is tested
// without a clock or a mail server.

export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

export type AfterFailure = { status: "pending"; nextAttemptAt: Date } | { status: "failed" };

/**
 * `attempts` counts the attempt that just failed. A permanent failure (the
 * server refused the message with a 5xx) is not retried: repeating it only
 * repeats the refusal.
 */
export function afterFailure(attempts: number, permanent: boolean, policy: RetryPolicy, now: Date): AfterFailure {
  if (permanent || attempts >= policy.maxAttempts) return { status: "failed" };
  const wait = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempts - 1));
  return { status: "pending", nextAttemptAt: new Date(now.getTime() + wait) };
}
