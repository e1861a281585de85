// Answers this process already has, so asking again costs nothing: tokens
// already verified (a client sends the same bearer token on every request),
// users' addresses notification already looked up. An entry never outlives
// its own expiry (a token's `exp`) nor maxAgeMs, and the map is bounded: when
// full, the entry stored longest ago goes (a Map iterates in insertion order).
export class ExpiringCache<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxAgeMs: number,
  ) {}

  get(key: string, now: number): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now < entry.until) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** `expiresAt` (ms since the epoch) is the entry's own end, e.g. a token's exp; Infinity when it has none. */
  set(key: string, value: T, expiresAt: number, now: number): void {
    const until = Math.min(expiresAt, now + this.maxAgeMs);
    if (until <= now) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, until });
  }

  get size(): number {
    return this.entries.size;
  }
}
