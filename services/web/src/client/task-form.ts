// The create/edit form, with a recurrence picker that produces an RRULE.
import type { Task } from "./api.ts";
import { fromLocalInput, h, toLocalInput } from "./dom.ts";
import { DAYS, toRule, type Frequency } from "./recurrence.ts";

const REMINDERS: [string, number | null][] = [
  ["No reminder", null],
  ["At due time", 0],
  ["5 minutes before", 5],
  ["15 minutes before", 15],
  ["1 hour before", 60],
  ["1 day before", 1440],
];

export function renderTaskForm(
  form: HTMLFormElement,
  task: Task | null,
  onSubmit: (body: Record<string, unknown>) => Promise<void>,
) {
  const id = (name: string) => `${task ? `edit-${task.id}` : "new"}-${name}`;
  const field = (label: string, name: string, input: HTMLElement, wide = false) => {
    input.id = id(name);
    input.setAttribute("name", name);
    // The label sits beside its field, not around it: a select inside a label would
    // lend its option texts to the label's accessible name.
    return h("div", { class: wide ? "field wide" : "field" }, h("label", { for: id(name) }, label), input);
  };
  const zone = task?.recurrence?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const days = h(
    "fieldset",
    { class: "wide" },
    h("legend", {}, "On days (weekly)"),
    ...DAYS.map((d) => h("label", {}, h("input", { type: "checkbox", name: "day", value: d }), d)),
  );
  form.replaceChildren(
    field("Title", "title", h("input", { required: true, maxlength: 200, value: task?.title ?? "" }), true),
    field("Description", "description", h("textarea", { maxlength: 4000, rows: 2 }, task?.description ?? ""), true),
    field(
      "Priority",
      "priority",
      h("select", {}, ...["medium", "high", "low"].map((p) => h("option", { selected: task?.priority === p }, p))),
    ),
    field("Tags (comma separated)", "tags", h("input", { value: task?.tags.join(", ") ?? "" })),
    field("Due", "due", h("input", { type: "datetime-local", step: 1, value: toLocalInput(task?.due_at ?? null) })),
    field(
      "Reminder",
      "reminder",
      h("select", {}, ...REMINDERS.map(([text, minutes]) => h("option", { value: minutes ?? "" }, text))),
    ),
    field(
      "Repeats",
      "frequency",
      h(
        "select",
        {},
        ...[
          ["", "Does not repeat"],
          ["DAILY", "Daily"],
          ["WEEKDAYS", "Every weekday"],
          ["WEEKLY", "Weekly"],
          ["MONTHLY", "Monthly"],
          ["YEARLY", "Yearly"],
        ].map(([v, t]) => h("option", { value: v! }, t!)),
      ),
    ),
    field("Every (interval)", "interval", h("input", { type: "number", min: 1, max: 99, value: 1 })),
    days,
    field(
      "Ends",
      "ends",
      h(
        "select",
        {},
        h("option", { value: "never" }, "Never"),
        h("option", { value: "count" }, "After a number of times"),
        h("option", { value: "until" }, "On a date"),
      ),
    ),
    field("Times", "count", h("input", { type: "number", min: 1, max: 999, value: 10 })),
    field("Until", "until", h("input", { type: "date" })),
    field("Time zone", "timezone", h("input", { value: zone })),
    h("button", { type: "submit", class: "wide" }, task ? "Save" : "Add task"),
  );
  if (task?.recurrence)
    (form.elements.namedItem("frequency") as HTMLSelectElement).value = task.recurrence.rule.includes(
      "BYDAY=MO,TU,WE,TH,FR",
    )
      ? "WEEKDAYS"
      : (task.recurrence.rule.match(/FREQ=(\w+)/)?.[1] ?? "");
  form.onsubmit = async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const due = fromLocalInput(String(data.get("due") ?? ""));
    const before = data.get("reminder") === "" ? null : Number(data.get("reminder"));
    const rule = toRule({
      frequency: String(data.get("frequency") ?? "") as Frequency,
      interval: Number(data.get("interval") ?? 1),
      days: data.getAll("day").map(String),
      ends: String(data.get("ends")) as "never" | "count" | "until",
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
      remind_at: due && before !== null ? new Date(Date.parse(due) - before * 60_000).toISOString() : null,
      recurrence: rule ? { rule, timezone: String(data.get("timezone") || "UTC") } : null,
    };
    if (task && before === null && task.remind_at) delete body.remind_at; // keep an existing reminder unless one is chosen
    await onSubmit(body);
    if (!task) form.reset();
  };
}
