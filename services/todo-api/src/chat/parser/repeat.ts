// "every weekday at 9", "daily", "every month on the last day": an RRULE in
// the user's zone plus the first due time, which recurring then advances.
import { addDays, daysInMonth, DEFAULT_HOUR, fromWallClock, wallClock, type Clock } from "./dates.ts";

export interface Repeat {
  rule: string;
  firstDue: Date;
  /** The words that said it, to cut out of a title. */
  text: string;
}

const DAYS: Record<string, string> = { mon: "MO", tue: "TU", wed: "WE", thu: "TH", fri: "FR", sat: "SA", sun: "SU" };
const DAY_NAME = "(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?s?";
const TIME = "(?:\\s+at\\s+(\\d{1,2})(?::(\\d{2}))?\\s*(am|pm)?)?";
const PATTERN = new RegExp(
  "\\b(?:(every\\s+weekday|on\\s+weekdays|every\\s+weekend\\s+day)" +
    `|every\\s+(${DAY_NAME}(?:\\s*(?:,|and)\\s*${DAY_NAME})*)` +
    "|every\\s+(\\d+\\s+)?(day|week|month|year)s?(?:\\s+on\\s+the\\s+(\\d{1,2}(?:st|nd|rd|th)|last\\s+day))?" +
    "|(daily|weekly|monthly|yearly|annually))" +
    TIME +
    "\\b",
  "i",
);

const FREQ: Record<string, string> = {
  day: "DAILY",
  daily: "DAILY",
  week: "WEEKLY",
  weekly: "WEEKLY",
  month: "MONTHLY",
  monthly: "MONTHLY",
  year: "YEARLY",
  yearly: "YEARLY",
  annually: "YEARLY",
};

export function findRepeat(text: string, clock: Clock): Repeat | null {
  const m = text.match(PATTERN);
  if (!m) return null;
  const [whole, weekdays, named, interval, unit, monthDay, word, hour, minute, meridiem] = m;
  const parts: string[] = [];
  let byDay: string[] = [];
  let byMonthDay: number | undefined;
  if (weekdays) {
    byDay = /weekend/i.test(weekdays) ? ["SA", "SU"] : ["MO", "TU", "WE", "TH", "FR"];
    parts.push("FREQ=WEEKLY", `BYDAY=${byDay.join(",")}`);
  } else if (named) {
    byDay = [
      ...new Set(
        named
          .toLowerCase()
          .match(/mon|tue|wed|thu|fri|sat|sun/g)!
          .map((d) => DAYS[d]!),
      ),
    ];
    parts.push("FREQ=WEEKLY", `BYDAY=${byDay.join(",")}`);
  } else {
    parts.push(`FREQ=${FREQ[(unit ?? word)!.toLowerCase()]}`);
    if (interval && +interval > 1) parts.push(`INTERVAL=${+interval}`);
    if (monthDay) {
      // "the last day" is -1: RFC 5545 skips months without a 31st, people mean the month's end.
      byMonthDay = /last/i.test(monthDay) ? -1 : parseInt(monthDay, 10);
      parts.push(`BYMONTHDAY=${byMonthDay}`);
    }
  }
  const at = hour
    ? {
        hour: (+hour % (meridiem ? 12 : 24)) + (meridiem?.toLowerCase() === "pm" ? 12 : 0),
        minute: minute ? +minute : 0,
      }
    : { hour: DEFAULT_HOUR, minute: 0 };
  const firstDue = firstOccurrence(clock, at, byDay, byMonthDay);
  return firstDue ? { rule: parts.join(";"), firstDue, text: whole } : null;
}

const WEEKDAY_CODES = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

/** The first local day from today on that the rule allows, at the given time, after now. */
function firstOccurrence(
  clock: Clock,
  at: { hour: number; minute: number },
  byDay: string[],
  byMonthDay: number | undefined,
): Date | null {
  const today = { ...wallClock(clock.now, clock.timezone), ...at };
  for (let i = 0; i < 400; i++) {
    const day = addDays(today, i);
    const weekday = WEEKDAY_CODES[new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay()]!;
    if (byDay.length && !byDay.includes(weekday)) continue;
    const last = daysInMonth(day.year, day.month);
    if (byMonthDay !== undefined && day.day !== (byMonthDay === -1 ? last : byMonthDay)) continue;
    const due = fromWallClock(day, clock.timezone);
    if (due > clock.now) return due;
  }
  return null;
}
