// Converting between instants and the wall-clock time of an IANA zone with
// Intl alone. rrule computes in "floating" time (a Date whose UTC fields are
// the local fields); these two functions move in and out of it, so the result
// never depends on the zone of the machine running the service.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The local date and time at `instant` in `zone`, as a floating Date (its UTC fields are the local ones). */
export function toWallClock(instant: Date, zone: string): Date {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(instant)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return new Date(
    Date.UTC(
      parts.year!,
      parts.month! - 1,
      parts.day!,
      parts.hour!,
      parts.minute!,
      parts.second!,
      instant.getUTCMilliseconds(),
    ),
  );
}

const offsetAt = (ms: number, zone: string) => toWallClock(new Date(ms), zone).getTime() - ms;

/**
 * The instant at which `zone`'s clocks show the floating time `local`.
 * A time that happens twice (clocks going back) resolves to the first; a time
 * that never happens (clocks going forward) moves forward by the gap, so
 * 02:30 on a spring-forward night becomes 03:30 — what calendars do.
 */
export function fromWallClock(local: Date, zone: string): Date {
  const wall = local.getTime();
  const before = offsetAt(wall - 86_400_000, zone);
  const after = offsetAt(wall + 86_400_000, zone);
  const candidates = [wall - Math.max(before, after), wall - Math.min(before, after)].filter(
    (ms) => toWallClock(new Date(ms), zone).getTime() === wall,
  );
  if (candidates.length) return new Date(Math.min(...candidates));
  return new Date(wall - Math.min(before, after));
}
