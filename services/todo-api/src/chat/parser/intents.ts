// The no-model path: common phrasings → which tool to call with what. Pure
// (no database): a task named by title is left as a reference for
// resolve() in ../rules.ts to find among the user's tasks.
import type { Priority, TaskCreate, TaskPatch } from "@todo/shared";
import type { TaskQuery } from "../../tasks/model.ts";
import { findDate, fromWallClock, startOfDay, wallClock, type Clock } from "./dates.ts";
import { findRepeat } from "./repeat.ts";

export type TaskRef = { id: number } | { title: string };
export type RefTool = "get_task" | "update_task" | "complete_task" | "reopen_task" | "delete_task";

export type Intent =
  | { kind: "add"; args: TaskCreate }
  | { kind: "list"; args: TaskQuery }
  | {
      kind: "ref";
      tool: RefTool;
      ref: TaskRef;
      patch?: TaskPatch;
      remindBeforeMinutes?: number;
      addTags?: string[];
      removeTags?: string[];
    }
  | { kind: "clarify"; question: string }
  | { kind: "help" };

const AMOUNT = "(\\d+|an?|one|half\\s+an)\\s+(minutes?|mins?|hours?|hrs?|days?|weeks?)";
const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 1440, w: 10080 };

function minutes(amount: string, unit: string): number {
  const a = amount.toLowerCase();
  const n = /^half/.test(a) ? 0.5 : /^(an?|one)$/.test(a) ? 1 : Number(a);
  return Math.round(n * UNIT_MINUTES[unit[0]!.toLowerCase()]!);
}

/** "#12", "task 12", "the milk task", "'Buy milk'" → a reference. */
export function parseRef(text: string): TaskRef | null {
  const s = text
    .trim()
    .replace(/^(?:the|my)\s+/i, "")
    .replace(/^task\s+/i, "")
    .replace(/\s+task$/i, "")
    .trim();
  const id = s.match(/^#?(\d+)$/);
  if (id) return { id: Number(id[1]) };
  const title = s.replace(/^["'“‘](.*)["'”’]$/, "$1").trim();
  return title ? { title } : null;
}

const list = (s: string) =>
  s
    .split(/\s*(?:,|\band\b|\s)\s*/i)
    .map((x) => x.replace(/^#/, "").toLowerCase())
    .filter(Boolean);

/** Spacing, politeness and end punctuation that never change what a message asks. */
const tidy = (message: string) =>
  message
    .trim()
    .replace(/\s+/g, " ")
    .replace(/^(?:please|can you|could you|would you|hey|ok|okay)[, ]+/i, "")
    .replace(/[.!?]+$/, "")
    .replace(/,?\s+please$/i, "");

/** "add", "remind me to", "don't forget to"…: the words that open a new task. */
const ADD_LEAD =
  /^(remind\s+me\s+to|add|create|new|todo|remember\s+to|i\s+need\s+to|i\s+have\s+to|i\s+must|don'?t\s+forget\s+to)(?:\s+(?:a\s+)?(?:new\s+)?(?:task|todo))?(?:\s*:\s*|\s+)(?:to\s+)?(.*)$/i;

/**
 * Quick add: the whole sentence describes one new task ("pay rent every month
 * on the 1st at 9am #home !high"); an opening "add" or "remind me to" is allowed.
 * The result is an "add", or a "clarify" when no title is left.
 */
export function parseNewTask(message: string, clock: Clock): Extract<Intent, { kind: "add" | "clarify" }> {
  const text = tidy(message);
  const lead = text.match(ADD_LEAD);
  return addIntent(lead ? lead[2]! : text, lead ? /^remind/i.test(lead[1]!) : false, clock);
}

export function parseMessage(message: string, clock: Clock): Intent {
  const text = tidy(message);
  let m: RegExpMatchArray | null;
  const ref = (tool: RefTool, raw: string, extra: Partial<Extract<Intent, { kind: "ref" }>> = {}): Intent => {
    const r = parseRef(raw);
    return r
      ? { kind: "ref", tool, ref: r, ...extra }
      : { kind: "clarify", question: "Which task? Give its number or its title." };
  };

  // Tags and due dates first: "remove tag x from y" is not a deletion.
  if ((m = text.match(/^tag\s+(.+?)\s+(?:with|as)\s+(.+)$/i)))
    return ref("update_task", m[1]!, { addTags: list(m[2]!) });
  if ((m = text.match(/^add\s+(?:the\s+)?tags?\s+(.+?)\s+to\s+(.+)$/i)))
    return ref("update_task", m[2]!, { addTags: list(m[1]!) });
  if ((m = text.match(/^(?:remove|delete)\s+(?:the\s+)?tags?\s+(.+?)\s+from\s+(.+)$/i)))
    return ref("update_task", m[2]!, { removeTags: list(m[1]!) });
  if ((m = text.match(/^(?:set|change)\s+(?:the\s+)?tags\s+(?:of|for|on)\s+(.+?)\s+to\s+(.+)$/i)))
    return ref("update_task", m[1]!, { patch: { tags: list(m[2]!) } });
  if ((m = text.match(/^(?:remove|clear)\s+the\s+due\s+date\s+(?:of|from)\s+(.+)$/i)))
    return ref("update_task", m[1]!, { patch: { due_at: null, remind_at: null } });
  if ((m = text.match(/^rename\s+(.+?)\s+to\s+(.+)$/i)))
    return ref("update_task", m[1]!, { patch: { title: m[2]!.replace(/^["'](.*)["']$/, "$1") } });

  // Reminders on an existing task: "remind me 30 minutes before #4", "remind me about the report an hour before".
  if ((m = text.match(new RegExp(`^remind\\s+me\\s+${AMOUNT}\\s+before\\s+(.+)$`, "i"))))
    return ref("update_task", m[3]!, { remindBeforeMinutes: minutes(m[1]!, m[2]!) });
  if (
    (m = text.match(
      new RegExp(`^remind\\s+me\\s+(?:about|of)\\s+(.+?)\\s+${AMOUNT}\\s+(?:before|earlier|ahead)$`, "i"),
    ))
  ) {
    return ref("update_task", m[1]!, { remindBeforeMinutes: minutes(m[2]!, m[3]!) });
  }
  if ((m = text.match(/^remind\s+me\s+(?:about|of)\s+(.+)$/i))) {
    const when = findDate(m[1]!, clock);
    if (!when)
      return {
        kind: "clarify",
        question: 'When should I remind you? Say, for example, "30 minutes before" or "tomorrow at 9".',
      };
    return ref("update_task", cut(m[1]!, when.text), { patch: { remind_at: when.date.toISOString() } });
  }

  if ((m = text.match(/^(?:reopen|re-open|uncomplete|undo|unfinish)\s+(.+)$/i))) return ref("reopen_task", m[1]!);
  if ((m = text.match(/^mark\s+(.+?)\s+as\s+(?:not\s+done|not\s+completed|open|incomplete|undone|to\s?do)$/i)))
    return ref("reopen_task", m[1]!);
  if ((m = text.match(/^(?:complete|finish|close|check\s+off|tick\s+off|cross\s+off)\s+(.+)$/i)))
    return ref("complete_task", m[1]!);
  if ((m = text.match(/^(?:mark|set)\s+(.+?)\s+(?:as\s+)?(?:done|complete|completed|finished)$/i)))
    return ref("complete_task", m[1]!);
  if ((m = text.match(/^(?:i\s+)?(?:have\s+|just\s+)?(?:finished|completed|did|done\s+with)\s+(.+)$/i)))
    return ref("complete_task", m[1]!);
  if ((m = text.match(/^(.+?)\s+is\s+(?:done|finished|complete)$/i))) return ref("complete_task", m[1]!);
  if ((m = text.match(/^(?:delete|remove|cancel|drop|trash|get\s+rid\s+of|forget\s+about)\s+(.+)$/i)))
    return ref("delete_task", m[1]!);
  if (/^(?:delete|remove|complete|finish|reopen|cancel)$/i.test(text))
    return { kind: "clarify", question: `Which task should I ${text.toLowerCase()}? Give its number or its title.` };

  if (
    (m = text.match(
      /^(?:move|reschedule|postpone|push|defer|delay|change\s+the\s+due\s+date\s+of|set\s+the\s+due\s+date\s+of)\s+(.+?)\s+(?:to|until|till|for)\s+(.+)$/i,
    ))
  ) {
    const when = findDate(m[2]!, clock);
    if (!when)
      return { kind: "clarify", question: `When should "${m[1]}" be due? I couldn't read a date in "${m[2]}".` };
    return ref("update_task", m[1]!, { patch: { due_at: when.date.toISOString() } });
  }

  if ((m = text.match(/^(?:set|change)\s+(?:the\s+)?priority\s+(?:of|for|on)\s+(.+?)\s+to\s+(low|medium|high)$/i)))
    return ref("update_task", m[1]!, { patch: { priority: lower(m[2]!) } });
  if ((m = text.match(/^(?:prioriti[sz]e)\s+(.+)$/i)))
    return ref("update_task", m[1]!, { patch: { priority: "high" } });
  if (
    (m = text.match(
      /^(?:make|mark|set)\s+(.+?)\s+(?:as\s+|to\s+)?(?:(low|medium|high)(?:\s+priority)?|(urgent|important))$/i,
    ))
  ) {
    return ref("update_task", m[1]!, { patch: { priority: m[2] ? lower(m[2]) : "high" } });
  }

  if ((m = text.match(/^(?:show|get|open|view|display|describe)\s+(?:me\s+)?(?:task\s+)?#?(\d+)$/i)))
    return ref("get_task", m[1]!);
  if ((m = text.match(/^(?:details|info|tell\s+me\s+about)\s+(?:of\s+|for\s+|on\s+|about\s+)?(.+)$/i)))
    return ref("get_task", m[1]!);

  if (
    (m = text.match(
      /^(?:find|search(?:\s+for)?|look\s+for)\s+(?:(?:my\s+)?tasks?\s+)?(?:about\s+|with\s+|containing\s+|mentioning\s+|for\s+)?(.+)$/i,
    ))
  ) {
    return { kind: "list", args: { status: "all", q: m[1]!.replace(/^["'](.*)["']$/, "$1") } };
  }
  if (
    /^(?:list|show|what|which|display|view|any|do\s+i\s+have|what's|whats|my\s+(?:tasks|todos))\b/i.test(text) ||
    /^(?:tasks|todos|overdue)\b/i.test(text)
  ) {
    return { kind: "list", args: listQuery(text, clock) };
  }

  const add = text.match(ADD_LEAD);
  if (add) return addIntent(add[2]!, /^remind/i.test(add[1]!), clock);
  if (/^(?:add|create|new)(?:\s+(?:a\s+)?(?:new\s+)?(?:task|todo))?$/i.test(text))
    return { kind: "clarify", question: "What should the task be called?" };
  return { kind: "help" };
}

const lower = (p: string) => p.toLowerCase() as Priority;

/** Removes the words that named a date, a rule or a flag from what is left of a title. */
function cut(text: string, part: string): string {
  return text
    .replace(part, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/(?:\s|,)+(?:on|at|by|due|for|before|until|from|starting|and|with)$|,$/i, "")
    .trim();
}

function addIntent(body: string, remind: boolean, clock: Clock): Extract<Intent, { kind: "add" | "clarify" }> {
  let rest = body;
  let m: RegExpMatchArray | null;
  let before: number | undefined;
  // "…, remind me an hour before" inside the sentence as well as "…, an hour before" after "remind me to".
  if (
    (m = rest.match(
      new RegExp(`,?\\s*(?:remind\\s+me\\s+)?${AMOUNT}\\s+(?:before|earlier|ahead)(?:\\s+of\\s+time)?`, "i"),
    ))
  ) {
    before = minutes(m[1]!, m[2]!);
    rest = cut(rest, m[0]);
  }
  const args: Partial<TaskCreate> = {};
  const priority = rest.match(
    /,?\s*(?:with\s+)?(?:(?:priority\s+|!)(low|medium|high)|(low|medium|high)[- ]priority)\b/i,
  );
  if (priority) {
    args.priority = lower(priority[1] ?? priority[2]!);
    rest = cut(rest, priority[0]);
  }
  const tagged = rest.match(/,?\s*(?:tagged|with\s+tags?)\s+([\w-]+(?:\s*(?:,|\band\b)\s*[\w-]+)*)/i);
  const tags = tagged ? list(tagged[1]!) : [];
  if (tagged) rest = cut(rest, tagged[0]);
  for (const hash of rest.match(/(?:^|\s)#[\w-]+/g) ?? []) {
    tags.push(hash.trim().slice(1).toLowerCase());
    rest = cut(rest, hash.trim());
  }
  if (tags.length) args.tags = [...new Set(tags)];

  const repeat = findRepeat(rest, clock);
  if (repeat) {
    args.recurrence = { rule: repeat.rule, timezone: clock.timezone };
    args.due_at = repeat.firstDue.toISOString();
    rest = cut(rest, repeat.text);
  } else {
    const when = findDate(rest, clock);
    if (when) {
      args.due_at = when.date.toISOString();
      rest = cut(rest, when.text);
    }
  }
  if (args.due_at && (remind || before !== undefined))
    args.remind_at = new Date(Date.parse(args.due_at) - (before ?? 0) * 60_000).toISOString();
  if (before !== undefined && !args.due_at)
    return { kind: "clarify", question: `A reminder ${before} minutes before what? Tell me when "${rest}" is due.` };

  const title = rest.replace(/^(?:to\s+)?["'“](.*)["'”]$/, "$1").replace(/^[,:\s]+|[,:\s]+$/g, "");
  if (!title) return { kind: "clarify", question: "What should the task be called?" };
  return { kind: "add", args: { title: title[0]!.toUpperCase() + title.slice(1), ...args } };
}

function listQuery(text: string, clock: Clock): TaskQuery {
  const q: TaskQuery = {
    status: /\b(?:completed|done|finished)\b/i.test(text) ? "completed" : /\ball\b/i.test(text) ? "all" : "open",
  };
  const p = text.match(/\b(low|medium|high)[- ]priority\b|\bpriority\s+(low|medium|high)\b|\b(urgent)\b/i);
  if (p) q.priority = p[3] ? "high" : lower(p[1] ?? p[2]!);
  const tagged = text.match(/\b(?:tagged|with\s+(?:the\s+)?tags?)\s+([\w-]+(?:\s*(?:,|\band\b)\s*[\w-]+)*)/i);
  const tags = [
    ...(tagged ? list(tagged[1]!) : []),
    ...(text.match(/#[\w-]+/g) ?? []).map((h) => h.slice(1).toLowerCase()),
  ];
  if (tags.length) q.tag = [...new Set(tags)];
  const about = text.match(/\b(?:about|mentioning|containing)\s+(.+)$/i);
  if (about) q.q = about[1]!;

  const iso = (d: Date) => d.toISOString();
  const weekday = wallClock(clock.now, clock.timezone).weekday; // 0 = Sunday
  const toMonday = (8 - weekday) % 7 || 7;
  if (/\boverdue\b/i.test(text)) {
    q.status = "open";
    q.due_before = iso(clock.now);
  } else if (/\b(?:today|tonight)\b/i.test(text))
    [q.due_after, q.due_before] = [iso(startOfDay(clock)), iso(startOfDay(clock, 1))];
  else if (/\btomorrow\b/i.test(text))
    [q.due_after, q.due_before] = [iso(startOfDay(clock, 1)), iso(startOfDay(clock, 2))];
  else if (/\bthis\s+week\b/i.test(text))
    [q.due_after, q.due_before] = [iso(startOfDay(clock)), iso(startOfDay(clock, toMonday))];
  else if (/\bnext\s+week\b/i.test(text))
    [q.due_after, q.due_before] = [iso(startOfDay(clock, toMonday)), iso(startOfDay(clock, toMonday + 7))];
  else if (/\bthis\s+month\b/i.test(text)) {
    const w = wallClock(clock.now, clock.timezone);
    const next = {
      ...w,
      day: 1,
      hour: 0,
      minute: 0,
      month: (w.month % 12) + 1,
      year: w.year + (w.month === 12 ? 1 : 0),
    };
    [q.due_after, q.due_before] = [iso(startOfDay(clock)), iso(fromWallClock(next, clock.timezone))];
  } else {
    const before = text.match(/\b(?:due\s+)?before\s+(.+?)(?=\s+(?:tagged|with|sorted|by|about)\b|$)/i);
    const after = text.match(/\b(?:due\s+)?after\s+(.+?)(?=\s+(?:tagged|with|sorted|by|about)\b|$)/i);
    const b = before && findDate(before[1]!, clock);
    const a = after && findDate(after[1]!, clock);
    if (b) q.due_before = iso(b.date);
    if (a) q.due_after = iso(a.date);
  }
  const sort = text.match(
    /\b(?:sorted\s+|ordered\s+)?by\s+(priority|due\s+date|due|title|name|date\s+created|creation)\b/i,
  );
  if (sort)
    q.sort = /prio/i.test(sort[1]!)
      ? "priority"
      : /due/i.test(sort[1]!)
        ? "due_at"
        : /title|name/i.test(sort[1]!)
          ? "title"
          : "created_at";
  else if (q.due_before || q.due_after) q.sort = "due_at";
  return q;
}
