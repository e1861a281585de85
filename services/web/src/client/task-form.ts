// The full create/edit form: title, description, priority, tags, due time, a
// reminder relative to it, and a recurrence picker whose fields show only
// when "Repeats" is on. It fills from a task, or from a quick-add draft.
import type { Priority } from "@todo/shared/contracts/task";
import type { Task } from "./api.ts";
import { fromLocalInput, h, toLocalInput } from "./dom.ts";
import { DAYS, fromRule, toRule, type Frequency } from "./recurrence.ts";

/** A task to edit (with an id) or the fields of one to create. */
export type TaskDraft = Partial<Omit<Task, "id">> & { id?: number };

const REMINDERS: [string, number | null][] = [
  ["No reminder", null],
  ["At due time", 0],
  ["5 minutes before", 5],
  ["15 minutes before", 15],
  ["1 hour before", 60],
  ["1 day before", 1440],
];
const FREQUENCIES: [Frequency, string][] = [
  ["", "Does not repeat"],
  ["DAILY", "Daily"],
  ["WEEKDAYS", "Every weekday"],
  ["WEEKLY", "Weekly"],
  ["MONTHLY", "Monthly"],
  ["YEARLY", "Yearly"],
];

export function renderTaskForm(
  form: HTMLFormElement,
  task: TaskDraft | null,
  onSubmit: (body: Record<string, unknown>) => Promise<void>,
) {
  const prefix = task?.id ? `edit-${task.id}` : "new";
  const id = (name: string) => `${prefix}-${name}`;
  const field = (label: string, name: string, input: HTMLElement, wide = false) => {
    input.id = id(name);
    input.setAttribute("name", name);
    // The label sits beside its field, not around it: a select inside a label would
    // lend its option texts to the label's accessible name.
    return h("div", { class: wide ? "field wide" : "field" }, h("label", { for: id(name) }, label), input);
  };
  const picked = fromRule(task?.recurrence?.rule ?? null);
  const before =
    task?.due_at && task.remind_at ? (Date.parse(task.due_at) - Date.parse(task.remind_at)) / 60_000 : null;
  const known = REMINDERS.some(([, m]) => m === before);
  const reminder = h(
    "select",
    {},
    ...REMINDERS.map(([text, minutes]) => h("option", { value: minutes ?? "", selected: minutes === before }, text)),
    // A reminder set some other way (the chat, the API) stays as it is unless another is chosen.
    task?.remind_at && !known
      ? h("option", { value: "keep", selected: true }, `As set (${new Date(task.remind_at).toLocaleString()})`)
      : null,
  );
  const frequency = h(
    "select",
    {},
    ...FREQUENCIES.map(([v, t]) => h("option", { value: v, selected: v === picked.frequency }, t)),
  );
  const ends = h(
    "select",
    {},
    ...[
      ["never", "Never"],
      ["count", "After a number of times"],
      ["until", "On a date"],
    ].map(([v, t]) => h("option", { value: v!, selected: v === picked.ends }, t!)),
  );
  const days = h(
    "fieldset",
    { class: "wide" },
    h("legend", {}, "On days"),
    ...DAYS.map((d) =>
      h("label", {}, h("input", { type: "checkbox", name: "day", value: d, checked: picked.days.includes(d) }), d),
    ),
  );
  const count = field("Times", "count", h("input", { type: "number", min: 1, max: 999, value: picked.count }));
  const until = field("Until", "until", h("input", { type: "date", value: picked.until }));
  const repeatFields = h(
    "fieldset",
    { class: "wide repeat" },
    h("legend", {}, "Repeat"),
    field("Every (interval)", "interval", h("input", { type: "number", min: 1, max: 99, value: picked.interval })),
    field("Ends", "ends", ends),
    count,
    until,
    field(
      "Time zone",
      "timezone",
      h("input", { value: task?.recurrence?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone }),
    ),
    days,
  );
  // Only the fields that mean something for the current choice are shown (and submitted).
  const sync = () => {
    repeatFields.hidden = frequency.value === "";
    days.hidden = frequency.value !== "WEEKLY";
    count.hidden = ends.value !== "count";
    until.hidden = ends.value !== "until";
  };
  // The picker cannot say everything an RRULE can (BYMONTHDAY, …): an untouched one keeps the task's rule.
  let ruleTouched = false;
  for (const control of [frequency, repeatFields])
    control.addEventListener("input", () => {
      ruleTouched = true;
      sync();
    });
  sync();

  form.replaceChildren(
    field("Title", "title", h("input", { required: true, maxlength: 200, value: task?.title ?? "" }), true),
    field("Description", "description", h("textarea", { maxlength: 4000, rows: 2 }, task?.description ?? ""), true),
    field(
      "Priority",
      "priority",
      h(
        "select",
        {},
        ...(["medium", "high", "low"] satisfies Priority[]).map((p) =>
          h("option", { selected: (task?.priority ?? "medium") === p }, p),
        ),
      ),
    ),
    field("Tags (comma separated)", "tags", h("input", { value: task?.tags?.join(", ") ?? "" })),
    field("Due", "due", h("input", { type: "datetime-local", step: 1, value: toLocalInput(task?.due_at ?? null) })),
    field("Reminder", "reminder", reminder),
    field("Repeats", "frequency", frequency),
    repeatFields,
    h("button", { type: "submit", class: "wide" }, task?.id ? "Save" : "Add task"),
  );
  form.onsubmit = async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const due = fromLocalInput(String(data.get("due") ?? ""));
    const choice = String(data.get("reminder") ?? "");
    const rule =
      !ruleTouched && task?.recurrence && frequency.value
        ? task.recurrence.rule
        : toRule({
            frequency: frequency.value as Frequency,
            interval: Number(data.get("interval") ?? 1),
            days: data.getAll("day").map(String),
            ends: ends.value as "never" | "count" | "until",
            count: Number(data.get("count") ?? 0),
            until: String(data.get("until") ?? ""),
          });
    const body: Record<string, unknown> = {
      title: String(data.get("title") ?? ""),
      description: String(data.get("description") ?? ""),
      priority: String(data.get("priority")),
      tags: String(data.get("tags") ?? "")
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
      due_at: due,
      remind_at:
        choice === "keep"
          ? (task?.remind_at ?? null)
          : due && choice !== ""
            ? new Date(Date.parse(due) - Number(choice) * 60_000).toISOString()
            : null,
      recurrence: rule ? { rule, timezone: String(data.get("timezone") || "UTC") } : null,
    };
    await onSubmit(body);
  };
}
