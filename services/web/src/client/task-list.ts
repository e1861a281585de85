// The grouped task list: overdue, today, upcoming, no date, and completed
// (collapsed). Redrawn in place; focus and the completed group's open state
// survive a redraw, and tasks a live update touched flash briefly.
import type { Task } from "./api.ts";
import { h } from "./dom.ts";
import { formatDue, GROUPS, groupTasks, type GroupKey } from "./groups.ts";
import { describeRule } from "./recurrence.ts";

export interface ListActions {
  toggle(task: Task): void;
  edit(task: Task): void;
}

function taskItem(task: Task, group: GroupKey, now: Date, actions: ListActions): HTMLElement {
  const titleId = `task-title-${task.id}`;
  const li = h("li", { class: `task${task.completed ? " done" : ""}`, "data-task-id": task.id });
  const toggle = h("input", {
    type: "checkbox",
    checked: task.completed,
    "data-focus-key": `toggle-${task.id}`,
    "aria-label": `${task.completed ? "Reopen" : "Complete"} ${task.title}`,
  });
  toggle.addEventListener("change", () => actions.toggle(task));
  const due = task.due_at
    ? h(
        "span",
        { class: group === "overdue" ? "due overdue" : "due" },
        // Said in words, not only in red.
        group === "overdue" ? `Overdue · ${formatDue(task.due_at, now)}` : formatDue(task.due_at, now),
      )
    : null;
  const meta = h(
    "span",
    { class: "meta-line" },
    due,
    task.priority === "medium" ? null : h("span", { class: `prio prio-${task.priority}` }, `${task.priority} priority`),
    task.recurrence ? h("span", { class: "repeat-hint" }, `↻ ${describeRule(task.recurrence.rule)}`) : null,
    task.remind_at && !task.completed
      ? h("span", { class: "reminder-hint" }, `reminder ${formatDue(task.remind_at, now)}`)
      : null,
    ...task.tags.map((tag) => h("span", { class: "tag" }, `#${tag}`)),
  );
  li.append(
    toggle,
    h("div", { class: "body" }, h("span", { class: "title", id: titleId }, task.title), meta),
    h(
      "button",
      {
        type: "button",
        class: "quiet edit",
        "data-focus-key": `edit-${task.id}`,
        "aria-label": `Details of ${task.title}`,
        onclick: () => actions.edit(task),
      },
      "Details",
    ),
  );
  return li;
}

export function renderTaskList(
  root: HTMLElement,
  tasks: Task[],
  now: Date,
  actions: ListActions,
  flash: ReadonlySet<number> = new Set(),
  /** Open the completed group (when it is all the filter shows); else it stays as the user left it, collapsed at first. */
  expandCompleted = false,
) {
  const focusKey = document.activeElement?.getAttribute("data-focus-key");
  const groups = groupTasks(tasks, now);
  const completedOpen =
    expandCompleted || (root.querySelector<HTMLDetailsElement>("details.group-completed")?.open ?? false);
  const sections = GROUPS.filter(({ key }) => groups.get(key)!.length).map(({ key, title }) => {
    const items = groups.get(key)!;
    const list = h("ul", { class: "tasks" }, ...items.map((task) => taskItem(task, key, now, actions)));
    const heading = `${title} (${items.length})`;
    if (key === "completed")
      return h(
        "details",
        { class: "group group-completed", open: completedOpen },
        h("summary", {}, h("h2", { class: "group-title" }, heading)),
        list,
      );
    return h(
      "section",
      { class: `group group-${key}`, "aria-labelledby": `group-${key}` },
      h("h2", { class: "group-title", id: `group-${key}` }, heading),
      list,
    );
  });
  root.replaceChildren(
    ...(sections.length ? sections : [h("p", { class: "empty" }, "Nothing here. Add a task above.")]),
  );
  for (const id of flash) root.querySelector(`[data-task-id="${id}"]`)?.classList.add("flash");
  if (focusKey) root.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
}
