// The details dialog: the full form for a new task (from quick add's draft)
// or an existing one, with its history and delete for the latter.
import type { HistoryPage } from "@todo/shared/contracts/invocations";
import { api, type Task } from "./api.ts";
import { $, formatWhen, h } from "./dom.ts";
import { openDialog } from "./dialogs.ts";
import { renderTaskForm, type TaskDraft } from "./task-form.ts";

export interface TaskDialogHooks {
  saved(created: boolean): Promise<void>;
  failed(err: unknown): void;
}

async function showHistory(task: Task) {
  const page = await api<HistoryPage>("GET", `/tasks/${task.id}/history`);
  $("history-title").textContent = `History of “${task.title}”`;
  $("history").replaceChildren(
    ...page.items.map((e) => h("li", {}, `${e.event_type} `, h("span", { class: "meta" }, formatWhen(e.timestamp)))),
  );
  openDialog($<HTMLDialogElement>("history-dialog"));
}

export function openTaskDialog(draft: TaskDraft, hooks: TaskDialogHooks) {
  const dialog = $<HTMLDialogElement>("task-dialog");
  const existing = draft.id ? (draft as Task) : null;
  $("task-dialog-title").textContent = existing ? `Details of “${existing.title}”` : "New task";
  const form = $<HTMLFormElement>("task-dialog-form");
  renderTaskForm(form, draft, async (body) => {
    try {
      if (existing) await api("PATCH", `/tasks/${existing.id}`, body);
      else await api("POST", "/tasks", body);
      dialog.close();
      await hooks.saved(!existing);
    } catch (err) {
      hooks.failed(err);
    }
  });
  $("task-dialog-extra").replaceChildren(
    ...(existing
      ? [
          h(
            "button",
            { type: "button", class: "quiet", onclick: () => void showHistory(existing).catch(hooks.failed) },
            "History",
          ),
          h(
            "button",
            {
              type: "button",
              class: "quiet danger",
              "aria-label": `Delete ${existing.title}`,
              onclick: async () => {
                try {
                  await api("DELETE", `/tasks/${existing.id}`);
                  dialog.close();
                  await hooks.saved(false);
                } catch (err) {
                  hooks.failed(err);
                }
              },
            },
            "Delete",
          ),
        ]
      : []),
  );
  openDialog(dialog, form.querySelector<HTMLElement>("input[name=title]") ?? undefined);
}
