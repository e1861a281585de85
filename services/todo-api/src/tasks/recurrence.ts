// Which recurrence rules we accept: RFC 5545 RRULEs that the rrule package
// parses, limited to the parts recurring can honour, in a real IANA zone.
import { RRule } from "rrule";

const FREQUENCIES = new Set(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]);
const PARTS = new Set(["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "COUNT", "UNTIL", "WKST"]);

/** Returns the rule in canonical form (upper case, no "RRULE:" prefix), or a message saying what is wrong. */
export function checkRule(input: string): { rule: string } | { error: string } {
  const rule = input
    .trim()
    .replace(/^RRULE:/i, "")
    .toUpperCase();
  const parts = new Map<string, string>();
  for (const part of rule.split(";").filter(Boolean)) {
    const [key, value, ...rest] = part.split("=");
    if (!key || !value || rest.length) return { error: `"${part}" is not KEY=VALUE` };
    if (!PARTS.has(key)) return { error: `${key} is not supported (use ${[...PARTS].join(", ")})` };
    if (parts.has(key)) return { error: `${key} appears twice` };
    parts.set(key, value);
  }
  const freq = parts.get("FREQ");
  if (!freq || !FREQUENCIES.has(freq)) return { error: "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY" };
  if (parts.has("COUNT") && parts.has("UNTIL")) return { error: "COUNT and UNTIL cannot be combined" };
  const count = parts.get("COUNT");
  if (count !== undefined && !/^[1-9]\d{0,3}$/.test(count))
    return { error: "COUNT must be a whole number from 1 to 9999" };
  const interval = parts.get("INTERVAL");
  if (interval !== undefined && !/^[1-9]\d{0,2}$/.test(interval))
    return { error: "INTERVAL must be a whole number from 1 to 999" };
  const byDay = parts.get("BYDAY");
  if (byDay !== undefined && !byDay.split(",").every((d) => /^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$/.test(d))) {
    return { error: "BYDAY must list days like MO,WE or 1MO,-1FR" };
  }
  const byMonthDay = parts.get("BYMONTHDAY");
  if (byMonthDay !== undefined && !byMonthDay.split(",").every((d) => /^-?([1-9]|[12]\d|3[01])$/.test(d))) {
    return { error: "BYMONTHDAY must list days from 1 to 31 (or -31 to -1)" };
  }
  const until = parts.get("UNTIL");
  if (until !== undefined && !/^\d{8}(T\d{6}Z?)?$/.test(until))
    return { error: "UNTIL must look like 20261231 or 20261231T235959Z" };
  try {
    new RRule(RRule.parseString(rule)).after(new Date(0));
  } catch (err) {
    return { error: `not a valid RRULE: ${err instanceof Error ? err.message : String(err)}` };
  }
  return { rule };
}

export const ZONE_MESSAGE = "is not an IANA time zone";

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
