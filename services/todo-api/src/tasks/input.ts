// Turns a validated request body into the stored fields, checking what a
// schema cannot: real dates, normalised tags, a usable recurrence, and a
// reminder that is not after the due time. Every bad field is named at once.
import { invalid } from "@todo/shared";
import type { TaskRow } from "../db/schema.ts";
import { PRIORITIES, type TaskCreate, type TaskPatch } from "@todo/shared";
import { checkRule, isTimeZone } from "./recurrence.ts";

export interface TaskFields {
  title: string;
  description: string;
  priority: number;
  tags: string[];
  dueAt: Date | null;
  remindAt: Date | null;
  recurrenceRule: string | null;
  recurrenceTimezone: string | null;
  seriesAnchorAt: Date | null;
}

export const NUL_MESSAGE = "must not contain NUL characters";

// Stored times stay within four-digit years after the Unix epoch: Bun cannot
// read back what Postgres prints for years below 100 ("0023-09-18 12:45:08+00"
// is an Invalid Date), and no task is due before 1970 or after 9999.
const EARLIEST_STORED = new Date("1970-01-01T00:00:00Z");
const LATEST_STORED = new Date("9999-12-31T23:59:59.999Z");
const RANGE_MESSAGE = "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z";

export const priorityRank = (p: (typeof PRIORITIES)[number]) => PRIORITIES.indexOf(p);

export function fieldsFromCreate(input: TaskCreate): TaskFields {
  const fields = checked(input, {
    title: input.title,
    description: input.description ?? "",
    priority: priorityRank(input.priority ?? "medium"),
    tags: input.tags ?? [],
    dueAt: null,
    remindAt: null,
    recurrenceRule: null,
    recurrenceTimezone: null,
    seriesAnchorAt: null,
  });
  return { ...fields, seriesAnchorAt: seriesAnchor(fields) };
}

export function fieldsFromPatch(current: TaskRow, patch: TaskPatch): TaskFields {
  const fields = checked(patch, {
    title: patch.title ?? current.title,
    description: patch.description ?? current.description,
    priority: patch.priority ? priorityRank(patch.priority) : current.priority,
    tags: patch.tags ?? current.tags,
    dueAt: current.dueAt,
    remindAt: current.remindAt,
    recurrenceRule: current.recurrenceRule,
    recurrenceTimezone: current.recurrenceTimezone,
    seriesAnchorAt: current.seriesAnchorAt,
  });
  return { ...fields, seriesAnchorAt: seriesAnchor(fields, current) };
}

/**
 * The due time a series' occurrences are computed from (TaskSeries in
 * @todo/shared): a new series starts at its due time; a change that leaves
 * due time, rule and zone as they were keeps the anchor (so re-saving the
 * 03:30 task of a spring-forward night does not move the series to 03:30),
 * and a change to any of them restarts the series from the new due time.
 */
function seriesAnchor(fields: TaskFields, current?: TaskRow): Date | null {
  if (!fields.recurrenceRule) return null;
  const unchanged =
    current?.recurrenceRule === fields.recurrenceRule &&
    current.recurrenceTimezone === fields.recurrenceTimezone &&
    current.dueAt?.getTime() === fields.dueAt?.getTime();
  return unchanged ? current.seriesAnchorAt : fields.dueAt;
}

function checked(input: TaskPatch, fields: TaskFields): TaskFields {
  const errors: Record<string, string> = {};
  fields.title = fields.title.trim();
  if (!fields.title) errors.title = "must not be blank";
  // Postgres text cannot hold NUL; say so instead of failing on insert.
  if (fields.title.includes("\u0000")) errors.title = NUL_MESSAGE;
  if (fields.description.includes("\u0000")) errors.description = NUL_MESSAGE;
  if (fields.tags.some((tag) => tag.includes("\u0000"))) errors.tags = NUL_MESSAGE;

  const tags = fields.tags.map((tag) => tag.trim().toLowerCase());
  if (tags.some((tag) => tag.length === 0 || tag.length > 40)) errors.tags = "each tag needs 1 to 40 characters";
  fields.tags = [...new Set(tags)];

  for (const [key, field] of [
    ["due_at", "dueAt"],
    ["remind_at", "remindAt"],
  ] as const) {
    const value = input[key];
    if (value === undefined) continue;
    const date = value === null ? null : strictDate(value);
    if (date && Number.isNaN(date.getTime())) errors[key] = "is not a valid date-time";
    else if (date && (date < EARLIEST_STORED || date > LATEST_STORED)) errors[key] = RANGE_MESSAGE;
    else fields[field] = date;
  }
  if (fields.dueAt && fields.remindAt && fields.remindAt > fields.dueAt && !errors.due_at && !errors.remind_at) {
    errors.remind_at = "must not be after due_at";
  }

  if (input.recurrence === null) {
    fields.recurrenceRule = null;
    fields.recurrenceTimezone = null;
  } else if (input.recurrence) {
    const rule = checkRule(input.recurrence.rule);
    if ("error" in rule) errors["recurrence.rule"] = rule.error;
    else fields.recurrenceRule = rule.rule;
    if (!isTimeZone(input.recurrence.timezone)) errors["recurrence.timezone"] = "is not an IANA time zone";
    else fields.recurrenceTimezone = input.recurrence.timezone;
  }
  if (Object.keys(errors).length) throw invalid(errors);
  return fields;
}

/**
 * Parses an ISO 8601 date-time, rejecting impossible ones that Date would
 * roll over (February 31st becomes March 3rd): Invalid Date for those.
 */
export function strictDate(value: string): Date {
  const m = value.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/);
  const date = new Date(value);
  if (!m) return date;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as number[];
  const daysInMonth = new Date(Date.UTC(y!, mo!, 0)).getUTCDate();
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > daysInMonth || h! > 23 || mi! > 59 || s! > 59) return new Date(NaN);
  return date;
}
