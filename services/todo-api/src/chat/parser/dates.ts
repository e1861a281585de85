// Dates in what a user types, read in the user's IANA time zone. chrono-node
// finds the phrase and its wall-clock fields; we turn those into an instant
// with the zone's offset *on that date*, not today's, so "tomorrow at 9" on
// the eve of a DST change still means 9 o'clock local.
import * as chrono from "chrono-node";

export interface Clock {
  now: Date;
  /** IANA zone the user thinks in; UTC by default. */
  timezone: string;
}

export interface Found {
  date: Date;
  /** The words that named it, to cut out of a title. */
  text: string;
}

/** A date without a time means this hour, local (a todo app's "morning of" default). */
export const DEFAULT_HOUR = 9;

export interface Wall {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
}

/** The zone's wall clock at an instant. */
export function wallClock(instant: Date, zone: string): Wall & { weekday: number } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    weekday: "short",
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(get("weekday"));
  return {
    year: +get("year"),
    month: +get("month"),
    day: +get("day"),
    hour: +get("hour") % 24,
    minute: +get("minute"),
    weekday,
  };
}

/** Minutes the zone is ahead of UTC at an instant. */
export function offsetMinutes(zone: string, instant: Date): number {
  const w = wallClock(instant, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  return Math.round((asUtc - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

/** The instant a wall-clock time names in a zone (a time skipped by DST moves forward by the gap). */
export function fromWallClock(w: Wall, zone: string): Date {
  const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  let guess = naive - offsetMinutes(zone, new Date(naive)) * 60_000;
  guess = naive - offsetMinutes(zone, new Date(guess)) * 60_000;
  return new Date(guess);
}

export const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The local calendar day `days` after the wall clock's day (month and year roll over). */
export function addDays(w: Wall, days: number): Wall {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return { ...w, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Midnight local of the day `days` after today. */
export function startOfDay(clock: Clock, days = 0): Date {
  return fromWallClock({ ...addDays(wallClock(clock.now, clock.timezone), days), hour: 0, minute: 0 }, clock.timezone);
}

const PART_OF_DAY = /\b(tonight|morning|afternoon|evening|noon|midday|midnight)\b/i;
const ORDINAL_DAY = /\b(?:on\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)\b(?:\s+at\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?)?/i;
const END_OF_MONTH = /\b(?:by\s+|at\s+)?(?:the\s+)?end\s+of\s+(?:the\s+)?month\b/i;

/**
 * Finds the first date in `text`. chrono-node does not read "the 31st" or
 * "end of the month" the way a to-do list means them, so those come first.
 */
export function findDate(text: string, clock: Clock): Found | null {
  const today = wallClock(clock.now, clock.timezone);
  const end = text.match(END_OF_MONTH);
  if (end) {
    const day = { ...today, day: daysInMonth(today.year, today.month), hour: DEFAULT_HOUR, minute: 0 };
    return { date: fromWallClock(day, clock.timezone), text: end[0] };
  }
  const ordinal = text.match(ORDINAL_DAY);
  if (ordinal) {
    const time = ordinal[2] ? to24h(+ordinal[2], ordinal[4]) : DEFAULT_HOUR;
    const wall = nextDayOfMonth(today, +ordinal[1]!, time, ordinal[3] ? +ordinal[3] : 0, clock);
    if (wall) return { date: fromWallClock(wall, clock.timezone), text: ordinal[0] };
  }
  const reference = { instant: clock.now, timezone: offsetMinutes(clock.timezone, clock.now) };
  const [result] = chrono.parse(text, reference, { forwardDate: true });
  if (!result) return null;
  const start = result.start;
  // "in 2 hours" is a span from now, not a wall-clock time.
  if (/^in\s/i.test(result.text) || start.isCertain("second")) return { date: start.date(), text: result.text };
  const keepHour = start.isCertain("hour") || PART_OF_DAY.test(result.text);
  const wall: Wall = {
    year: start.get("year")!,
    month: start.get("month")!,
    day: start.get("day")!,
    hour: keepHour ? start.get("hour")! : DEFAULT_HOUR,
    minute: keepHour ? (start.get("minute") ?? 0) : 0,
  };
  let date = fromWallClock(wall, clock.timezone);
  // A bare weekday or time already past today means the next one (forwardDate covers most, not a defaulted hour).
  if (date <= clock.now && !start.isCertain("day") && !start.isCertain("weekday"))
    date = fromWallClock(addDays(wall, 1), clock.timezone);
  return { date, text: result.text };
}

function to24h(hour: number, meridiem: string | undefined): number {
  if (!meridiem) return hour;
  return (hour % 12) + (meridiem.toLowerCase() === "pm" ? 12 : 0);
}

/**
 * The next date with this day of the month, from today on: "the 31st" on
 * 15 April is 31 May, since April has none (a date that must exist, not a
 * clamp to the 30th).
 */
function nextDayOfMonth(today: Wall, day: number, hour: number, minute: number, clock: Clock): Wall | null {
  if (day < 1 || day > 31) return null;
  for (let i = 0; i < 13; i++) {
    const month = ((today.month - 1 + i) % 12) + 1;
    const year = today.year + Math.floor((today.month - 1 + i) / 12);
    if (day > daysInMonth(year, month)) continue;
    const wall = { year, month, day, hour, minute };
    if (fromWallClock(wall, clock.timezone) > clock.now) return wall;
  }
  return null;
}

/** How a date reads back to the user, in their zone. */
export function describeDate(date: Date, timezone: string): string {
  const text = new Intl.DateTimeFormat("en-GB", {
    timeZone: timezone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(date);
  return `${text} (${timezone})`;
}
