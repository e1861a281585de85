// The task board: sign-in, filtered list, create/edit, history,
// notifications, chat, and live updates over ws-sync.
import type { FeedPage, HistoryPage } from "@todo/shared/contracts/invocations";
import type { TaskPage } from "@todo/shared/contracts/task";
import { api, tokenStore, type Task } from "./api.ts";
import { $, formatWhen, h } from "./dom.ts";
import { connectLive } from "./live.ts";
import { describeRule } from "./recurrence.ts";
import { renderTaskForm } from "./task-form.ts";

const tokens = tokenStore();
let config = { wsUrl: "/ws", devLogin: false };
let cursor: string | null = null;
let stopLive: (() => void) | null = null;
let conversationId: string | undefined;

function showError(err: unknown) {
  const box = $("error");
  box.textContent = err instanceof Error ? err.message : String(err);
  box.hidden = false;
  setTimeout(() => (box.hidden = true), 6000);
}
const guard = (fn: () => Promise<unknown>) => () => void fn().catch(showError);

function query(): string {
  const data = new FormData($<HTMLFormElement>("filters"));
  const params = new URLSearchParams({ limit: "50" });
  for (const [key, value] of data) if (String(value).trim()) params.set(key, String(value).trim());
  if (cursor) params.set("cursor", cursor);
  return params.toString();
}

function taskItem(task: Task): HTMLElement {
  const li = h("li", { class: `task${task.completed ? " done" : ""}`, "data-task-id": task.id });
  const toggle = h("input", {
    type: "checkbox",
    checked: task.completed,
    "aria-label": `${task.completed ? "Reopen" : "Complete"} ${task.title}`,
  });
  toggle.addEventListener(
    "change",
    guard(async () => {
      await api("POST", `/tasks/${task.id}/${task.completed ? "reopen" : "complete"}`);
      await refresh();
    }),
  );
  const editForm = h("form", { class: "task-form wide", hidden: true, "aria-label": `Edit ${task.title}` });
  renderTaskForm(editForm, task, async (body) => {
    await api("PATCH", `/tasks/${task.id}`, body);
    await refresh();
  });
  const parts: (HTMLElement | null)[] = [
    toggle,
    h("span", { class: "title" }, task.title),
    h("span", { class: `meta prio-${task.priority}` }, task.priority),
    ...task.tags.map((tag) => h("span", { class: "tag" }, tag)),
    task.due_at ? h("span", { class: "meta" }, `due ${formatWhen(task.due_at)}`) : null,
    task.remind_at ? h("span", { class: "meta" }, `reminder ${formatWhen(task.remind_at)}`) : null,
    task.recurrence
      ? h("span", { class: "meta" }, `${describeRule(task.recurrence.rule)} (#${task.occurrence ?? 1})`)
      : null,
    h("button", { type: "button", class: "quiet", onclick: () => (editForm.hidden = !editForm.hidden) }, "Edit"),
    h("button", { type: "button", class: "quiet", onclick: guard(() => showHistory(task)) }, "History"),
    h(
      "button",
      {
        type: "button",
        class: "quiet",
        "aria-label": `Delete ${task.title}`,
        onclick: guard(async () => {
          await api("DELETE", `/tasks/${task.id}`);
          await refresh();
        }),
      },
      "Delete",
    ),
    editForm,
  ];
  li.append(...parts.filter((p): p is HTMLElement => p !== null));
  return li;
}

async function refresh(append = false) {
  if (!append) cursor = null;
  const page = await api<TaskPage>("GET", `/tasks?${query()}`);
  const list = $("tasks");
  const items = page.items.map(taskItem);
  if (append) list.append(...items);
  else list.replaceChildren(...(items.length ? items : [h("li", { class: "meta" }, "Nothing here.")]));
  cursor = page.next_cursor;
  $("more").hidden = !cursor;
}

async function refreshNotifications() {
  const page = await api<FeedPage>("GET", "/notifications");
  $("unread").textContent = String(page.unread_count ?? page.items.filter((n) => !n.read_at).length);
  $("notifications").replaceChildren(
    ...page.items.map((n) =>
      h(
        "li",
        { class: n.read_at ? undefined : "unread" },
        `${n.title} `,
        h("span", { class: "meta" }, `due ${formatWhen(n.due_at ?? null)} `),
        n.read_at
          ? null
          : h(
              "button",
              {
                type: "button",
                class: "quiet",
                "aria-label": `Mark “${n.title}” read`,
                onclick: guard(async () => {
                  await api("POST", `/notifications/${n.id}/read`);
                  await refreshNotifications();
                }),
              },
              "Mark read",
            ),
      ),
    ),
  );
}

async function showHistory(task: Task) {
  const page = await api<HistoryPage>("GET", `/tasks/${task.id}/history`);
  $("history-title").textContent = `History of “${task.title}”`;
  $("history").replaceChildren(
    ...page.items.map((e) => h("li", {}, `${e.event_type} `, h("span", { class: "meta" }, formatWhen(e.timestamp)))),
  );
  $<HTMLDialogElement>("history-dialog").showModal();
}

let pending: ReturnType<typeof setTimeout> | undefined;
const soon = () => {
  clearTimeout(pending);
  pending = setTimeout(
    guard(async () => Promise.all([refresh(), refreshNotifications()])),
    100,
  );
};

function startBoard() {
  $("signin").hidden = true;
  $("board").hidden = false;
  $("account").replaceChildren(
    h(
      "button",
      {
        type: "button",
        class: "quiet",
        onclick: () => {
          tokens.clear();
          location.reload();
        },
      },
      "Sign out",
    ),
  );
  renderTaskForm($<HTMLFormElement>("task-form"), null, async (body) => {
    await api("POST", "/tasks", body);
    await refresh();
  });
  $("filters").addEventListener("input", soon);
  $("more").addEventListener(
    "click",
    guard(() => refresh(true)),
  );
  $<HTMLFormElement>("chat-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $<HTMLInputElement>("chat-message");
    const message = input.value;
    $("chat-log").append(h("li", {}, h("strong", {}, "You: "), message));
    input.value = "";
    guard(async () => {
      const reply = await api<{ conversation_id: string; reply: string }>("POST", "/chat", {
        conversation_id: conversationId,
        message,
      });
      conversationId = reply.conversation_id;
      $("chat-log").append(h("li", {}, h("strong", {}, "Assistant: "), reply.reply));
      await refresh();
    })();
  });
  stopLive?.();
  stopLive = connectLive(config.wsUrl, tokens.get, {
    onUpdate: soon,
    onResync: soon,
    onState: (on) => {
      const badge = $("live");
      badge.textContent = on ? "live" : "reconnecting…";
      badge.classList.toggle("on", on);
    },
  });
  soon();
  // Reminders reach the feed without a task update, so the feed is also polled.
  setInterval(guard(refreshNotifications), 5000);
}

async function main() {
  config = await (await fetch("/config.json")).json();
  const dev = $<HTMLFormElement>("dev-signin");
  dev.hidden = !config.devLogin;
  dev.addEventListener("submit", (event) => {
    event.preventDefault();
    guard(async () => {
      const res = await fetch("/dev/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user: $<HTMLInputElement>("dev-user").value }),
      });
      if (!res.ok) throw new Error("Sign-in failed");
      tokens.set((await res.json()).token);
      startBoard();
    })();
  });
  $<HTMLFormElement>("token-signin").addEventListener("submit", (event) => {
    event.preventDefault();
    tokens.set($<HTMLInputElement>("token").value.trim());
    startBoard();
  });
  if (tokens.get()) startBoard();
}

void main();
