// A bounded, in-memory window of recent updates per user, for clients that
// reconnect and ask for what they missed. It knows what it may have lost
// (updates before this instance started, or evicted since), so it can say
// "refetch over REST" instead of replaying a trail with holes in it.

export interface WindowLimits {
  /** Updates kept per user. */
  perUser: number;
  /** Users kept (least recently updated are forgotten first). */
  users: number;
  /** Updates older than this (by arrival) are forgotten. */
  maxAgeMs: number;
}

interface Entry {
  /** The update's own timestamp (ms), as clients see it. */
  at: number;
  /** When it arrived here (ms), for ageing. */
  arrived: number;
  frame: string;
}

interface UserWindow {
  entries: Entry[];
  /** Updates at or before this time may have been dropped. */
  lostUpTo: number;
}

export class ReplayWindow {
  private readonly users = new Map<string, UserWindow>();
  /** Applies to users with no window: this instance's start, or the newest update forgotten with a whole user. */
  private forgottenUpTo: number;

  constructor(
    private readonly limits: WindowLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.forgottenUpTo = now();
  }

  add(userId: string, at: number, frame: string): void {
    const window = this.users.get(userId) ?? { entries: [], lostUpTo: this.forgottenUpTo };
    this.users.delete(userId); // re-insert: Map order is least recently updated first
    this.users.set(userId, window);
    window.entries.push({ at, arrived: this.now(), frame });
    if (window.entries.length > this.limits.perUser) this.drop(window, window.entries.length - this.limits.perUser);
    while (this.users.size > this.limits.users) {
      const [oldest, forgotten] = this.users.entries().next().value!;
      this.users.delete(oldest);
      this.forgottenUpTo = Math.max(this.forgottenUpTo, forgotten.lostUpTo, ...forgotten.entries.map((e) => e.at));
    }
  }

  /**
   * The frames a client that last saw `since` may have missed (at or after it:
   * a repeat is harmless, updates carry the whole task), or null when the
   * window cannot prove it holds all of them.
   */
  since(userId: string, since: number): string[] | null {
    const window = this.users.get(userId);
    if (!window) return since > this.forgottenUpTo ? [] : null;
    const cutoff = this.now() - this.limits.maxAgeMs;
    const stale = window.entries.findIndex((e) => e.arrived >= cutoff);
    this.drop(window, stale === -1 ? window.entries.length : stale);
    if (since <= window.lostUpTo) return null;
    return window.entries.filter((e) => e.at >= since).map((e) => e.frame);
  }

  private drop(window: UserWindow, count: number) {
    for (const e of window.entries.splice(0, count)) window.lostUpTo = Math.max(window.lostUpTo, e.at);
  }
}
