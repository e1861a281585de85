// The chat without a model: parse the message, find the task it names, run
// one tool, say what happened. When a title matches several tasks, or none,
// it asks instead of guessing.
import type { Task } from "@todo/shared";
import type { TaskService } from "../tasks/service.ts";
import { runTool } from "../tools/catalog.ts";
import type { Action } from "./model.ts";
import type { Clock } from "./parser/dates.ts";
import { parseMessage, type Intent, type RefTool, type TaskRef } from "./parser/intents.ts";
import { describeTask, HELP, replyFor } from "./replies.ts";

export interface Turn {
  reply: string;
  actions: Action[];
}

export async function answerWithRules(
  service: TaskService,
  userId: string,
  message: string,
  clock: Clock,
): Promise<Turn> {
  const intent = parseMessage(message, clock);
  const act = async (tool: string, args: Record<string, unknown>): Promise<Turn> => {
    const outcome = await runTool(service, userId, tool, args);
    return {
      reply: replyFor(tool, outcome, clock.timezone),
      actions: [{ tool, arguments: args, result: outcome.ok ? outcome.result : { error: outcome.error } }],
    };
  };
  switch (intent.kind) {
    case "help":
      return { reply: HELP, actions: [] };
    case "clarify":
      return { reply: intent.question, actions: [] };
    case "add":
      return act("add_task", intent.args);
    case "list":
      return act("list_tasks", intent.args);
    case "ref": {
      const found = await resolve(service, userId, intent.ref, intent.tool, clock.timezone);
      if ("reply" in found) return { reply: found.reply, actions: [] };
      if (intent.tool !== "update_task") return act(intent.tool, { id: found.task.id });
      const change = patchFor(intent, found.task);
      return "reply" in change
        ? { reply: change.reply, actions: [] }
        : act("update_task", { id: found.task.id, ...change.patch });
    }
  }
}

/** Turns "add tag", "remove tag" and "remind me N before" into concrete fields, given the task as it is now. */
function patchFor(
  intent: Extract<Intent, { kind: "ref" }>,
  task: Task,
): { patch: Record<string, unknown> } | { reply: string } {
  const patch: Record<string, unknown> = { ...intent.patch };
  if (intent.addTags) patch.tags = [...new Set([...task.tags, ...intent.addTags])];
  if (intent.removeTags) patch.tags = task.tags.filter((t) => !intent.removeTags!.includes(t));
  if (intent.remindBeforeMinutes !== undefined) {
    if (!task.due_at)
      return { reply: `#${task.id} "${task.title}" has no due time to remind you before. When is it due?` };
    patch.remind_at = new Date(Date.parse(task.due_at) - intent.remindBeforeMinutes * 60_000).toISOString();
  }
  return { patch };
}

const WANTED: Partial<Record<RefTool, "open" | "completed">> = { complete_task: "open", reopen_task: "completed" };

/** The one task a reference names, or what to ask. Completing looks among open tasks, reopening among completed ones. */
async function resolve(
  service: TaskService,
  userId: string,
  ref: TaskRef,
  tool: RefTool,
  timezone: string,
): Promise<{ task: Task } | { reply: string }> {
  if ("id" in ref) {
    const outcome = await runTool(service, userId, "get_task", { id: ref.id });
    return outcome.ok ? { task: outcome.result as Task } : { reply: `I couldn't find task #${ref.id}.` };
  }
  const status = WANTED[tool] ?? "all";
  const wanted = ref.title.toLowerCase();
  const searched = (await service.list(userId, { status, q: ref.title, limit: 20 })).items;
  // Full-text search misses stop words and partial words; fall back to substrings over recent tasks.
  const pool = searched.length ? searched : (await service.list(userId, { status, limit: 100 })).items;
  const exact = pool.filter((t) => t.title.toLowerCase() === wanted);
  const containing = pool.filter((t) => t.title.toLowerCase().includes(wanted));
  const matches = exact.length ? exact : containing.length ? containing : searched;
  const kind = status === "all" ? "" : `${status} `;
  if (matches.length === 1) return { task: matches[0]! };
  if (matches.length === 0)
    return { reply: `I couldn't find ${status === "open" ? "an" : "a"} ${kind}task called "${ref.title}".` };
  const options = matches.slice(0, 5).map((t) => `- ${describeTask(t, timezone)}`);
  return {
    reply: [`Several ${kind}tasks match "${ref.title}". Which one? Tell me its number.`, ...options].join("\n"),
  };
}
