// Quick add: one line of plain words ("pay rent every month on the 1st at
// 9am #home !high"), read by todo-api's parser (POST /api/quick-add/parse, the
// chat's parser) and shown as chips before anything is added. A chip can be
// removed; "Details" opens the full form with what was understood.
import { api, ApiError, type Task } from "./api.ts";
import { $, h } from "./dom.ts";
import { formatDue } from "./groups.ts";
import { describeRule } from "./recurrence.ts";
import type { TaskDraft } from "./task-form.ts";

type Field = "due_at" | "remind_at" | "recurrence" | "priority" | "tags";
interface Parsed {
  text: string;
  draft: TaskDraft | null;
  problem: string | null;
}

export interface QuickAddHooks {
  added(task: Task): Promise<void>;
  details(draft: TaskDraft): void;
  failed(err: unknown): void;
}

const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

function reminderText(draft: TaskDraft): string {
  const minutes = (Date.parse(draft.due_at!) - Date.parse(draft.remind_at!)) / 60_000;
  if (minutes === 0) return "reminder at due time";
  return minutes % 60 === 0 ? `reminder ${minutes / 60} h before` : `reminder ${minutes} min before`;
}

export function setUpQuickAdd(hooks: QuickAddHooks) {
  const form = $<HTMLFormElement>("quick-add");
  const input = $<HTMLInputElement>("quick-text");
  const chips = $("quick-chips");
  const hint = $("quick-hint");
  let latest: Promise<Parsed> | null = null;
  let dropped = new Set<Field>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const parse = (text: string): Promise<Parsed> =>
    api<{ task: TaskDraft }>("POST", "/quick-add/parse", { text, timezone: zone() }).then(
      ({ task }) => ({ text, draft: task, problem: null }),
      (err) => {
        if (err instanceof ApiError && err.status === 422)
          return { text, draft: null, problem: err.message.match(/text: (.*)\)$/)?.[1] ?? err.message };
        latest = null; // not the sentence's fault (offline, rate limited): the next try asks again
        throw err;
      },
    );
  const current = (): Promise<Parsed> | null => {
    const text = input.value.trim();
    if (!text) return null;
    if (!latest) latest = parse(text);
    return latest;
  };
  const kept = (draft: TaskDraft): TaskDraft => {
    const out: TaskDraft = { ...draft };
    for (const field of dropped) delete out[field];
    if (dropped.has("due_at")) delete out.remind_at; // a reminder is relative to the due time
    return out;
  };

  const show = (parsed: Parsed | null) => {
    hint.textContent = parsed?.problem ?? "";
    const draft = parsed?.draft ? kept(parsed.draft) : null;
    if (!draft) return chips.replaceChildren();
    const now = new Date();
    const chip = (label: string, text: string, field?: Field) =>
      h(
        "li",
        { class: "chip" },
        h("span", {}, h("span", { class: "visually-hidden" }, `${label}: `), text),
        field
          ? h(
              "button",
              {
                type: "button",
                class: "chip-remove",
                "aria-label": `Remove ${label.toLowerCase()}`,
                onclick: () => {
                  dropped.add(field);
                  show(parsed);
                  input.focus();
                },
              },
              "×",
            )
          : null,
      );
    const shown = [
      chip("Title", draft.title ?? ""),
      draft.due_at ? chip("Due", `due ${formatDue(draft.due_at, now)}`, "due_at") : null,
      draft.remind_at && draft.due_at ? chip("Reminder", reminderText(draft), "remind_at") : null,
      draft.recurrence ? chip("Repeats", `↻ ${describeRule(draft.recurrence.rule)}`, "recurrence") : null,
      draft.priority ? chip("Priority", `${draft.priority} priority`, "priority") : null,
      draft.tags?.length ? chip("Tags", draft.tags.map((t) => `#${t}`).join(" "), "tags") : null,
    ];
    chips.replaceChildren(...shown.filter((c) => c !== null));
  };

  input.addEventListener("input", () => {
    latest = null;
    dropped = new Set();
    clearTimeout(timer);
    if (!input.value.trim()) return show(null);
    timer = setTimeout(() => {
      const pending = current();
      pending?.then((parsed) => latest === pending && show(parsed), hooks.failed);
    }, 250);
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    const pending = current();
    if (!pending) return;
    pending
      .then(async (parsed) => {
        show(parsed);
        if (!parsed.draft) return;
        const task = await api<Task>("POST", "/tasks", kept(parsed.draft));
        input.value = "";
        latest = null;
        dropped = new Set();
        show(null);
        hint.textContent = `Added “${task.title}”.`;
        await hooks.added(task);
      })
      .catch(hooks.failed);
  });

  $("quick-details").addEventListener("click", () => {
    const pending = current();
    if (!pending) return hooks.details({ title: "" });
    pending.then(
      (parsed) => hooks.details(parsed.draft ? kept(parsed.draft) : { title: input.value.trim() }),
      hooks.failed,
    );
  });
  /** After the details form added the task, the line starts over. */
  return {
    clear() {
      input.value = "";
      latest = null;
      dropped = new Set();
      show(null);
    },
  };
}
