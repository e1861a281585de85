// The task board: sign-in, then the list first (grouped by when tasks are
// due), quick add above it, details in a dialog, notifications behind a bell,
// chat in a dialog, and live updates over ws-sync.
import type { TaskPage } from "@todo/shared/contracts/task";
import { api, tokenStore, type Task } from "./api.ts";
import { setUpChat } from "./chat.ts";
import { returnFocusOnClose } from "./dialogs.ts";
import { $ } from "./dom.ts";
import { connectLive } from "./live.ts";
import { refreshNotifications, setUpBell } from "./notifications.ts";
import { setUpQuickAdd } from "./quick-add.ts";
import { openTaskDialog } from "./task-dialog.ts";
import type { TaskDraft } from "./task-form.ts";
import { renderTaskList } from "./task-list.ts";

const tokens = tokenStore();
let config = { wsUrl: "/ws", devLogin: false };
let stopLive: (() => void) | null = null;

type Status = "open" | "completed";
/** What is loaded of each status the filter shows, and where its next page starts. */
let loaded: { status: Status; items: Task[]; cursor: string | null }[] = [];
/** Tasks a live update touched since the last redraw: they flash once. */
const touched = new Set<number>();

function showError(err: unknown) {
  const box = $("error");
  box.textContent = err instanceof Error ? err.message : String(err);
  box.hidden = false;
  setTimeout(() => (box.hidden = true), 6000);
}

function query(status: Status, cursor: string | null): string {
  const params = new URLSearchParams({ limit: status === "open" ? "100" : "50", status });
  for (const [key, value] of new FormData($<HTMLFormElement>("filters")))
    if (key !== "status" && String(value).trim()) params.set(key, String(value).trim());
  if (cursor) params.set("cursor", cursor);
  return params.toString();
}

const listActions = {
  toggle: (task: Task) =>
    void api("POST", `/tasks/${task.id}/${task.completed ? "reopen" : "complete"}`)
      .then(() => refresh())
      .catch(showError),
  edit: (task: Task) => editTask(task),
};

function draw() {
  renderTaskList(
    $("task-groups"),
    loaded.flatMap((l) => l.items),
    new Date(),
    listActions,
    touched,
    $<HTMLSelectElement>("filter-status").value === "completed",
  );
  touched.clear();
  $("more").hidden = !loaded.some((l) => l.cursor);
}

async function fetchPage(status: Status, cursor: string | null) {
  return api<TaskPage>("GET", `/tasks?${query(status, cursor)}`);
}

let refreshes = 0;
async function refresh() {
  const mine = ++refreshes;
  const shown = $<HTMLSelectElement>("filter-status").value;
  const statuses: Status[] =
    shown === "open" ? ["open"] : shown === "completed" ? ["completed"] : ["open", "completed"];
  const pages = await Promise.all(statuses.map((status) => fetchPage(status, null)));
  if (mine !== refreshes) return; // a later refresh is under way: this older answer must not overwrite it
  loaded = statuses.map((status, i) => ({ status, items: pages[i]!.items, cursor: pages[i]!.next_cursor }));
  draw();
}

async function loadMore() {
  for (const list of loaded) {
    if (!list.cursor) continue;
    const page = await fetchPage(list.status, list.cursor);
    list.items.push(...page.items);
    list.cursor = page.next_cursor;
  }
  draw();
}

const dialogHooks = { saved: async () => refresh(), failed: showError };
const editTask = (task: TaskDraft) => openTaskDialog(task, dialogHooks);

let pending: ReturnType<typeof setTimeout> | undefined;
const soon = () => {
  clearTimeout(pending);
  pending = setTimeout(() => void Promise.all([refresh(), refreshNotifications()]).catch(showError), 100);
};

/** Whether a key goes into a field: text inputs, text areas, selects (type-ahead), editable content. */
const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable ||
    ["TEXTAREA", "SELECT"].includes(target.tagName) ||
    (target instanceof HTMLInputElement && !["checkbox", "radio", "button", "submit"].includes(target.type)));

function startBoard() {
  $("signin").hidden = true;
  $("board").hidden = false;
  for (const id of ["bell", "chat-open", "sign-out"]) $(id).hidden = false;
  $("sign-out").addEventListener("click", () => {
    tokens.clear();
    location.reload();
  });
  const quick = setUpQuickAdd({
    added: refresh,
    details: (draft) =>
      openTaskDialog(draft, {
        saved: async (created) => {
          if (created) quick.clear();
          await refresh();
        },
        failed: showError,
      }),
    failed: showError,
  });
  setUpBell(showError);
  setUpChat(refresh, showError);
  $("filters").addEventListener("input", soon);
  $("filters").addEventListener("submit", (event) => event.preventDefault());
  $("more").addEventListener("click", () => void loadMore().catch(showError));
  // `n` or `/` anywhere but in a field or a dialog: to quick add.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "n" && event.key !== "/") return;
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (document.querySelector("dialog[open]")) return;
    event.preventDefault();
    $("quick-text").focus();
  });
  stopLive?.();
  stopLive = connectLive(config.wsUrl, tokens.get, {
    onUpdate: (message) => {
      touched.add(message.task_id);
      soon();
    },
    onResync: soon,
    onState: (on) => {
      const badge = $("live");
      badge.textContent = on ? "live" : "reconnecting…";
      badge.classList.toggle("on", on);
    },
  });
  soon();
  // Tasks change group as time passes (due now → overdue, midnight → today).
  setInterval(draw, 30_000);
  // Reminders reach the feed without a task update, so the feed is also polled.
  setInterval(() => void refreshNotifications().catch(showError), 5000);
  $("quick-text").focus();
}

async function main() {
  for (const dialog of document.querySelectorAll("dialog")) returnFocusOnClose(dialog);
  config = await (await fetch("/config.json")).json();
  const dev = $<HTMLFormElement>("dev-signin");
  dev.hidden = !config.devLogin;
  dev.addEventListener("submit", (event) => {
    event.preventDefault();
    (async () => {
      const res = await fetch("/dev/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user: $<HTMLInputElement>("dev-user").value }),
      });
      if (!res.ok) throw new Error("Sign-in failed");
      tokens.set((await res.json()).token);
      startBoard();
    })().catch(showError);
  });
  $<HTMLFormElement>("token-signin").addEventListener("submit", (event) => {
    event.preventDefault();
    tokens.set($<HTMLInputElement>("token").value.trim());
    startBoard();
  });
  if (tokens.get()) startBoard();
}

void main();
