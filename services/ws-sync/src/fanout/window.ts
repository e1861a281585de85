// A bounded, in-memory window of recent updates per user, for clients that
// reconnect and ask for what they missed. It knows what it may have lost
// (updates before this instance started, or evicted since), so it can say
// "refetch over REST" instead of replaying a trail with holes in it.
//
// Every bound is enforced as updates arrive, so memory stays bounded however
// many users write and whether or not anyone ever asks for a replay: entries
// per user, users, age, and the bytes of everything held.

export interface WindowLimits {
  /** Updates kept per user. */
  perUser: number;
  /** Users kept (least recently updated are forgotten first). */
  users: number;
  /** Updates older than this (by arrival) are forgotten. */
  maxAgeMs: number;
  /** What all kept updates may cost together (see entryBytes); least recently updated users go first. */
  maxBytes: number;
}

interface Entry {
  /** The update's own timestamp (ms), as clients see it. */
  at: number;
  /** When it arrived here (ms), for ageing. */
  arrived: number;
  frame: string;
  bytes: number;
}

interface UserWindow {
  userId: string;
  entries: Entry[];
  /** Updates at or before this time may have been dropped. */
  lostUpTo: number;
  /** Neighbours in least-recently-updated order (see UpdateOrder). */
  older: UserWindow | null;
  newer: UserWindow | null;
}

/** The entry object with its numbers and its array slot: heap per entry minus the string, measured on Bun 1.3 (about 85). */
const ENTRY_OVERHEAD_BYTES = 96;

/**
 * What one kept update costs the heap: the engine stores a string with only
 * Latin-1 characters one byte per character, any other string two.
 */
export function entryBytes(frame: string): number {
  // Counting non-ASCII Latin-1 as two bytes errs on the safe side, and the native length check is fast.
  const ascii = Buffer.byteLength(frame, "utf8") === frame.length;
  return frame.length * (ascii ? 1 : 2) + ENTRY_OVERHEAD_BYTES;
}

/**
 * Users from least to most recently updated, as a linked list: moving one to
 * the end and finding the first are constant time. (A Map re-inserted on
 * every update keeps that order too, but iterating it from the start slows
 * down with every deletion it has seen.)
 */
class UpdateOrder {
  oldest: UserWindow | null = null;
  private newest: UserWindow | null = null;

  touch(w: UserWindow) {
    if (this.newest === w) return;
    this.remove(w);
    w.older = this.newest;
    if (this.newest) this.newest.newer = w;
    this.newest = w;
    this.oldest ??= w;
  }

  remove(w: UserWindow) {
    if (w.older) w.older.newer = w.newer;
    else if (this.oldest === w) this.oldest = w.newer;
    if (w.newer) w.newer.older = w.older;
    else if (this.newest === w) this.newest = w.older;
    w.older = w.newer = null;
  }
}

export class ReplayWindow {
  private readonly users = new Map<string, UserWindow>();
  private readonly order = new UpdateOrder();
  /** Applies to users with no window: this instance's start, or the newest update forgotten with a whole user. */
  private forgottenUpTo: number;
  private heldBytes = 0;
  private heldEntries = 0;

  constructor(
    private readonly limits: WindowLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.forgottenUpTo = now();
  }

  add(userId: string, at: number, frame: string): void {
    let window = this.users.get(userId);
    if (!window) {
      window = { userId, entries: [], lostUpTo: this.forgottenUpTo, older: null, newer: null };
      this.users.set(userId, window);
    }
    this.order.touch(window);
    const entry = { at, arrived: this.now(), frame, bytes: entryBytes(frame) };
    window.entries.push(entry);
    this.heldBytes += entry.bytes;
    this.heldEntries++;
    this.dropStale(window);
    if (window.entries.length > this.limits.perUser) this.drop(window, window.entries.length - this.limits.perUser);
    this.evict(window);
  }

  /**
   * The frames a client that last saw `since` may have missed (at or after it:
   * a repeat is harmless, updates carry the whole task), or null when the
   * window cannot prove it holds all of them.
   */
  since(userId: string, since: number): string[] | null {
    const window = this.users.get(userId);
    if (!window) return since > this.forgottenUpTo ? [] : null;
    this.dropStale(window);
    if (since <= window.lostUpTo) return null;
    return window.entries.filter((e) => e.at >= since).map((e) => e.frame);
  }

  /** What the window holds now, by its own accounting. */
  size(): { users: number; entries: number; bytes: number } {
    return { users: this.users.size, entries: this.heldEntries, bytes: this.heldBytes };
  }

  /**
   * Forgets least recently updated users while any bound is passed, or while
   * their newest update is too old (then all of theirs is). The user just
   * written to goes last: if it alone passes the byte bound, its oldest
   * updates are dropped instead.
   */
  private evict(current: UserWindow) {
    const cutoff = this.now() - this.limits.maxAgeMs;
    for (let oldest = this.order.oldest; oldest && oldest !== current; oldest = this.order.oldest) {
      const newest = oldest.entries.at(-1);
      const stale = newest === undefined || newest.arrived < cutoff;
      const over = this.users.size > this.limits.users || this.heldBytes > this.limits.maxBytes;
      if (!(over || stale)) break;
      this.forget(oldest);
    }
    while (this.heldBytes > this.limits.maxBytes && current.entries.length > 0) this.drop(current, 1);
  }

  private forget(window: UserWindow) {
    this.drop(window, window.entries.length);
    this.order.remove(window);
    this.users.delete(window.userId);
    this.forgottenUpTo = Math.max(this.forgottenUpTo, window.lostUpTo);
  }

  /** Drops a user's updates that arrived before the age bound (they are in arrival order). */
  private dropStale(window: UserWindow) {
    const cutoff = this.now() - this.limits.maxAgeMs;
    const fresh = window.entries.findIndex((e) => e.arrived >= cutoff);
    this.drop(window, fresh === -1 ? window.entries.length : fresh);
  }

  private drop(window: UserWindow, count: number) {
    for (const e of window.entries.splice(0, count)) {
      window.lostUpTo = Math.max(window.lostUpTo, e.at);
      this.heldBytes -= e.bytes;
      this.heldEntries--;
    }
  }
}
