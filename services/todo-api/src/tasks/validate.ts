// The one validator of each task request: the shape the shared contract
// declares (TaskCreate, TaskPatch, OccurrenceRequest in @todo/shared), then
// what a schema cannot state: real dates in range, a title that is not
// blank, normalized tags, a usable recurrence, a reminder not after the due
// time. Each returns the normalized input or throws one 422 naming every bad
// field. REST routes (requestBody), MCP tools and the chat all reach these.
import {
  checkShape,
  invalid,
  OccurrenceRequest,
  PRIORITIES,
  requestBody,
  TaskCreate,
  TaskPatch,
  type Priority,
} from "@todo/shared";
import type { TaskRow } from "../db/schema.ts";
import { checkRule, isTimeZone, ZONE_MESSAGE } from "./recurrence.ts";

/** A task's stored fields, as the tasks table holds them. */
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

/** What a patch changes, normalized; a field it leaves out stays as it is. */
export type TaskChanges = Partial<Omit<TaskFields, "seriesAnchorAt">>;

/** The next task of a series, as recurring asks for it. */
export interface Occurrence {
  userId: string;
  seriesId: string;
  occurrence: number;
  fields: TaskFields;
}

type Problems = Record<string, string>;

export const NUL_MESSAGE = "must not contain NUL characters";

// Stored times stay within four-digit years after the Unix epoch: Bun cannot
// read back what Postgres prints for years below 100 ("0023-09-18 12:45:08+00"
// is an Invalid Date), and no task is due before 1970 or after 9999.
const EARLIEST_STORED = new Date("1970-01-01T00:00:00Z");
const LATEST_STORED = new Date("9999-12-31T23:59:59.999Z");
const RANGE_MESSAGE = "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z";

export const priorityRank = (p: Priority) => PRIORITIES.indexOf(p);

const NEW_TASK: TaskFields = {
  title: "",
  description: "",
  priority: priorityRank("medium"),
  tags: [],
  dueAt: null,
  remindAt: null,
  recurrenceRule: null,
  recurrenceTimezone: null,
  seriesAnchorAt: null,
};

/** POST /api/tasks and the add_task tool: the new task's fields. */
export function validateTaskCreate(body: unknown, root = "body"): TaskFields {
  return createFields(checkShape(TaskCreate, body, root));
}

/** PATCH /api/tasks/:id and the update_task tool: the changes, checked as far as the request alone allows. */
export function validateTaskPatch(body: unknown, root = "body"): TaskChanges {
  if (typeof body === "object" && body !== null && !Array.isArray(body) && Object.keys(body).length === 0)
    throw invalid({ [root]: "name at least one field to change" });
  const problems: Problems = {};
  const changes = changesOf(checkShape(TaskPatch, body, root), problems);
  withChanges(NEW_TASK, changes, problems); // a due time and reminder given together are checked now
  return changes;
}

/** POST /internal/occurrences: whose series, which occurrence, and the task's fields. */
export function validateOccurrence(body: unknown): Occurrence {
  const { user_id, series_id, occurrence, series_anchor_at, ...task } = checkShape(OccurrenceRequest, body);
  const fields = createFields(task);
  if (series_anchor_at && fields.recurrenceRule) fields.seriesAnchorAt = new Date(series_anchor_at);
  return { userId: user_id, seriesId: series_id, occurrence, fields };
}

export const taskCreateBody = requestBody(TaskCreate, validateTaskCreate);
export const taskPatchBody = requestBody(TaskPatch, validateTaskPatch);
export const occurrenceBody = requestBody(OccurrenceRequest, validateOccurrence);

/**
 * The task after a validated patch. One rule needs the stored task, and is
 * checked here, where the service has read it: the reminder must not be
 * after the due time, whichever of the two the patch changed.
 */
export function applyChanges(current: TaskRow, changes: TaskChanges): TaskFields {
  const stored: TaskFields = {
    title: current.title,
    description: current.description,
    priority: current.priority,
    tags: current.tags,
    dueAt: current.dueAt,
    remindAt: current.remindAt,
    recurrenceRule: current.recurrenceRule,
    recurrenceTimezone: current.recurrenceTimezone,
    seriesAnchorAt: current.seriesAnchorAt,
  };
  const fields = withChanges(stored, changes, {});
  return { ...fields, seriesAnchorAt: seriesAnchor(fields, current) };
}

function createFields(input: TaskCreate): TaskFields {
  const problems: Problems = {};
  const fields = withChanges(NEW_TASK, changesOf(input, problems), problems);
  return { ...fields, seriesAnchorAt: seriesAnchor(fields) };
}

/** The fields with the changes applied, or a 422 naming every problem found so far and this one. */
function withChanges(base: TaskFields, changes: TaskChanges, problems: Problems): TaskFields {
  const fields = { ...base, ...changes };
  if (fields.dueAt && fields.remindAt && fields.remindAt > fields.dueAt && !problems.due_at && !problems.remind_at)
    problems.remind_at = "must not be after due_at";
  if (Object.keys(problems).length) throw invalid(problems);
  return fields;
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

/** The stored form of each field the request gives, noting in `problems` what a schema cannot catch. */
function changesOf(input: TaskPatch, problems: Problems): TaskChanges {
  const changes: TaskChanges = {};
  if (input.title !== undefined) {
    changes.title = input.title.trim();
    if (!changes.title) problems.title = "must not be blank";
    // Postgres text cannot hold NUL; say so instead of failing on insert.
    if (changes.title.includes("\u0000")) problems.title = NUL_MESSAGE;
  }
  if (input.description !== undefined) {
    if (input.description.includes("\u0000")) problems.description = NUL_MESSAGE;
    changes.description = input.description;
  }
  if (input.priority !== undefined) changes.priority = priorityRank(input.priority);
  if (input.tags !== undefined) {
    if (input.tags.some((tag) => tag.includes("\u0000"))) problems.tags = NUL_MESSAGE;
    const tags = input.tags.map((tag) => tag.trim().toLowerCase());
    if (tags.some((tag) => tag.length === 0 || tag.length > 40)) problems.tags = "each tag needs 1 to 40 characters";
    changes.tags = [...new Set(tags)];
  }

  for (const [key, field] of [
    ["due_at", "dueAt"],
    ["remind_at", "remindAt"],
  ] as const) {
    const value = input[key];
    if (value === undefined) continue;
    const date = value === null ? null : strictDate(value);
    if (date && Number.isNaN(date.getTime())) problems[key] = "is not a valid date-time";
    else if (date && (date < EARLIEST_STORED || date > LATEST_STORED)) problems[key] = RANGE_MESSAGE;
    else changes[field] = date;
  }

  if (input.recurrence === null) {
    changes.recurrenceRule = null;
    changes.recurrenceTimezone = null;
  } else if (input.recurrence) {
    const rule = checkRule(input.recurrence.rule);
    if ("error" in rule) problems["recurrence.rule"] = rule.error;
    else changes.recurrenceRule = rule.rule;
    if (!isTimeZone(input.recurrence.timezone)) problems["recurrence.timezone"] = ZONE_MESSAGE;
    else changes.recurrenceTimezone = input.recurrence.timezone;
  }
  return changes;
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
