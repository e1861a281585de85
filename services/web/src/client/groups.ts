// Where a task belongs on the board, by the browser's clock and time zone:
// overdue (due before now), today (the rest of this local day), upcoming,
// no date, and completed. Pure, so a test can fix the clock and zone.
import type { Task } from "./api.ts";

export type GroupKey = "overdue" | "today" | "upcoming" | "none" | "completed";
export const GROUPS: { key: GroupKey; title: string }[] = [
  { key: "overdue", title: "Overdue" },
  { key: "today", title: "Today" },
  { key: "upcoming", title: "Upcoming" },
  { key: "none", title: "No date" },
  { key: "completed", title: "Completed" },
];

/** The start of the local day after `now`'s (midnight, whatever the day's length). */
export function nextLocalMidnight(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
}

export function groupOf(task: Task, now: Date): GroupKey {
  if (task.completed) return "completed";
  if (!task.due_at) return "none";
  const due = Date.parse(task.due_at);
  if (due < now.getTime()) return "overdue";
  return due < nextLocalMidnight(now).getTime() ? "today" : "upcoming";
}

/** The tasks of each group in the order they came (the listing's sort). */
export function groupTasks(tasks: Task[], now: Date): Map<GroupKey, Task[]> {
  const groups = new Map<GroupKey, Task[]>(GROUPS.map((g) => [g.key, []]));
  for (const task of tasks) groups.get(groupOf(task, now))!.push(task);
  return groups;
}

const sameLocalDay = (a: Date, b: Date) =>
  a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** "09:00" today, "Tue 3 Mar, 09:00" otherwise (with the year when it is not this one), in the browser's zone. */
export function formatDue(iso: string, now: Date): string {
  const due = new Date(iso);
  const time = due.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  if (sameLocalDay(due, now)) return time;
  const day = due.toLocaleDateString([], {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: due.getFullYear() === now.getFullYear() ? undefined : "numeric",
  });
  return `${day}, ${time}`;
}
