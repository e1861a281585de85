// When the next occurrence of a series is due. Pure: the rule, its zone, the
// completed occurrence and the clock in; an instant (or the series' end) out.
import { RRule } from "rrule";
import { fromWallClock, toWallClock } from "./wall-clock.ts";

export interface OccurrenceInput {
  /** RFC 5545 RRULE, as todo-api stored it (no "RRULE:" prefix). */
  rule: string;
  /** IANA zone the rule's times are meant in. */
  timezone: string;
  /** The completed occurrence's due_at, or its completion time when it had none. */
  anchor: Date;
  /**
   * The series' first due time (its DTSTART): every occurrence is computed
   * from it, never from the one before. Default: the anchor.
   */
  seriesStart?: Date;
  /** The completed task's place in its series (1 for the first task). */
  occurrence: number;
  now: Date;
}

const DAY_MS = 86_400_000;

/**
 * The first occurrence strictly after the anchor; if that is already past,
 * the first one after now, so a late completion never leaves a backlog of
 * overdue copies. Null when the series has ended.
 *
 * COUNT bounds the number of tasks in the series (occurrence numbers), and
 * UNTIL the date of the last one. Times are computed in the rule's zone from
 * the series' start: a daily 09:00 Europe/Berlin task stays at 09:00 local
 * across DST changes, and a daily 02:30 one is 03:30 only on the night that
 * has no 02:30 (computing from that occurrence would keep it at 03:30).
 */
export function nextOccurrence(input: OccurrenceInput): Date | null {
  const { timezone: zone } = input;
  const options = RRule.parseString(input.rule);
  if (options.count != null && input.occurrence + 1 > options.count) return null;
  // rrule works in floating time: give it local wall-clock times, no tzid
  // (with tzid its results depend on the host's own zone).
  const dtstart = toWallClock(input.seriesStart ?? input.anchor, zone);
  dtstart.setUTCMilliseconds(0);
  const rule = new RRule({
    ...options,
    count: null,
    tzid: null,
    dtstart,
    until: untilInZone(input.rule, options.until, zone),
  });
  // Compared as instants: a shifted occurrence (02:30 that became 03:30) is
  // later in floating time than the instant it stands for. Starting a couple
  // of days early in floating time covers any zone's jump.
  const after = new Date(Math.max(input.anchor.getTime(), input.now.getTime()));
  let next = rule.after(new Date(toWallClock(after, zone).getTime() - 2 * DAY_MS), true);
  while (next && fromWallClock(next, zone) <= after) next = rule.after(next, false);
  return next ? fromWallClock(next, zone) : null;
}

/**
 * UNTIL as floating local time. RFC 5545: with a Z it is an instant; a bare
 * date ends with that local day (inclusive); otherwise it is local already.
 */
function untilInZone(rule: string, until: Date | null | undefined, zone: string): Date | null {
  if (!until) return null;
  const raw = rule.match(/UNTIL=([0-9TZ]+)/i)?.[1] ?? "";
  if (raw.toUpperCase().endsWith("Z")) return toWallClock(until, zone);
  if (!raw.includes("T")) return new Date(until.getTime() + 86_399_000);
  return until;
}
