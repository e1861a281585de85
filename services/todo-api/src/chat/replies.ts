// What the chat says back after a tool ran, in the user's time zone.
import type { Task } from "@todo/shared";
import type { ToolOutcome } from "../tools/catalog.ts";
import { describeDate } from "./parser/dates.ts";

export const HELP = [
  "I can manage your tasks. Try, for example:",
  '- "add buy milk tomorrow at 5pm #errands"',
  '- "remind me to call Bob on Friday at 3pm, 15 minutes before"',
  '- "add stand-up every weekday at 9"',
  '- "what\'s due this week", "show high priority tasks tagged work", "search for milk"',
  '- "complete 12", "reopen buy milk", "delete the dentist appointment"',
  '- "move 12 to next monday 10am", "set priority of 12 to high", "tag 12 with home"',
].join("\n");

export function describeTask(task: Task, timezone: string): string {
  const parts = [`#${task.id} "${task.title}"`];
  if (task.completed) parts.push("(completed)");
  if (task.due_at) parts.push(`due ${describeDate(new Date(task.due_at), timezone)}`);
  if (task.remind_at) parts.push(`reminder ${describeDate(new Date(task.remind_at), timezone)}`);
  if (task.recurrence) parts.push(`repeats ${task.recurrence.rule}`);
  if (task.priority !== "medium") parts.push(`${task.priority} priority`);
  if (task.tags.length) parts.push(task.tags.map((t) => `#${t}`).join(" "));
  return parts.join(", ");
}

const DONE: Record<string, string> = {
  add_task: "Added",
  get_task: "Here it is:",
  update_task: "Updated",
  complete_task: "Completed",
  reopen_task: "Reopened",
};

export function replyFor(tool: string, outcome: ToolOutcome, timezone: string): string {
  if (!outcome.ok) {
    const fields = outcome.error.fields
      ? ` (${Object.entries(outcome.error.fields)
          .map(([k, v]) => `${k} ${v}`)
          .join("; ")})`
      : "";
    return `I couldn't do that: ${outcome.error.message}${fields}.`;
  }
  if (tool === "delete_task") return `Deleted #${(outcome.result as { id: number }).id}.`;
  if (tool === "list_tasks") {
    const { items, next_cursor } = outcome.result as { items: Task[]; next_cursor: string | null };
    if (items.length === 0) return "No tasks match.";
    const lines = items.map((t) => `- ${describeTask(t, timezone)}`);
    return [`${items.length}${next_cursor ? "+" : ""} task${items.length === 1 ? "" : "s"}:`, ...lines].join("\n");
  }
  return `${DONE[tool] ?? "Done:"} ${describeTask(outcome.result as Task, timezone)}.`;
}
