// The recurrence picker's values as an RFC 5545 RRULE, and back to words.
export type Frequency = "" | "DAILY" | "WEEKDAYS" | "WEEKLY" | "MONTHLY" | "YEARLY";
export const DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;

export interface PickedRecurrence {
  frequency: Frequency;
  interval: number;
  days: string[];
  ends: "never" | "count" | "until";
  count: number;
  until: string; // yyyy-mm-dd
}

const WEEKDAYS = "MO,TU,WE,TH,FR";

/** null for "does not repeat". */
export function toRule(p: PickedRecurrence): string | null {
  if (!p.frequency) return null;
  const parts = p.frequency === "WEEKDAYS" ? ["FREQ=WEEKLY", `BYDAY=${WEEKDAYS}`] : [`FREQ=${p.frequency}`];
  if (p.interval > 1 && p.frequency !== "WEEKDAYS") parts.push(`INTERVAL=${p.interval}`);
  if (p.frequency === "WEEKLY" && p.days.length)
    parts.push(`BYDAY=${DAYS.filter((d) => p.days.includes(d)).join(",")}`);
  if (p.ends === "count" && p.count > 0) parts.push(`COUNT=${p.count}`);
  if (p.ends === "until" && /^\d{4}-\d{2}-\d{2}$/.test(p.until))
    parts.push(`UNTIL=${p.until.replaceAll("-", "")}T235959Z`);
  return parts.join(";");
}

const partsOf = (rule: string): Record<string, string> =>
  Object.fromEntries(rule.split(";").map((p) => p.split("=") as [string, string]));

/** The picker's values for a rule (what it cannot show, like BYMONTHDAY, is left out). */
export function fromRule(rule: string | null): PickedRecurrence {
  const picked: PickedRecurrence = { frequency: "", interval: 1, days: [], ends: "never", count: 10, until: "" };
  if (!rule) return picked;
  const parts = partsOf(rule);
  picked.frequency =
    parts.FREQ === "WEEKLY" && parts.BYDAY === WEEKDAYS ? "WEEKDAYS" : ((parts.FREQ ?? "") as Frequency);
  picked.interval = Number(parts.INTERVAL ?? 1);
  picked.days = parts.BYDAY?.split(",") ?? [];
  if (parts.COUNT) [picked.ends, picked.count] = ["count", Number(parts.COUNT)];
  if (parts.UNTIL)
    [picked.ends, picked.until] = [
      "until",
      `${parts.UNTIL.slice(0, 4)}-${parts.UNTIL.slice(4, 6)}-${parts.UNTIL.slice(6, 8)}`,
    ];
  return picked;
}

const NAMES: Record<string, string> = { MO: "Mon", TU: "Tue", WE: "Wed", TH: "Thu", FR: "Fri", SA: "Sat", SU: "Sun" };

export function describeRule(rule: string): string {
  const parts = partsOf(rule);
  const every = Number(parts.INTERVAL ?? 1);
  const unit = { DAILY: "day", WEEKLY: "week", MONTHLY: "month", YEARLY: "year" }[parts.FREQ ?? ""] ?? "?";
  let text = every > 1 ? `every ${every} ${unit}s` : `every ${unit}`;
  if (parts.BYDAY === WEEKDAYS) text = "every weekday";
  else if (parts.BYDAY)
    text += ` on ${parts.BYDAY.split(",")
      .map((d) => NAMES[d] ?? d)
      .join(", ")}`;
  if (parts.BYMONTHDAY) text += parts.BYMONTHDAY === "-1" ? " on the last day" : ` on day ${parts.BYMONTHDAY}`;
  if (parts.COUNT) text += `, ${parts.COUNT} times`;
  if (parts.UNTIL) text += `, until ${parts.UNTIL.slice(0, 4)}-${parts.UNTIL.slice(4, 6)}-${parts.UNTIL.slice(6, 8)}`;
  return text;
}
