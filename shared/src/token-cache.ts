// Tokens this process has already verified, so a client sending the same
// bearer token on every request pays for the signature check once. An entry
// never outlives its token's `exp` (nor maxAgeMs), and the map is bounded:
// when full, the entry stored longest ago goes (a Map iterates in insertion order).
export class VerifiedTokens<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxAgeMs: number,
  ) {}

  get(token: string, now: number): T | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (now < entry.until) return entry.value;
    this.entries.delete(token);
    return undefined;
  }

  /** `expiresAt` is the token's exp in ms since the epoch. */
  set(token: string, value: T, expiresAt: number, now: number): void {
    const until = Math.min(expiresAt, now + this.maxAgeMs);
    if (until <= now) return;
    this.entries.delete(token);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { value, until });
  }

  get size(): number {
    return this.entries.size;
  }
}
