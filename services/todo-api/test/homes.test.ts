// One home per concern, checked on the source itself: the outbox stays a
// generic relay (it imports nothing of tasks/ or reminders/), tasks/ and
// outbox/ do not import each other, and the reminder machinery (the owed
// reminder, the reminders topic, the job name) is written only under
// reminders/. The checker is tried on a made-up tree too, so it can fail.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

const SRC = join(import.meta.dir, "../src");

/** Relative imports of one module, as paths from src/ (`tasks/model.ts`). */
function importsOf(file: string, text: string): string[] {
  const specifiers = [
    ...text.matchAll(/\b(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/g),
    ...text.matchAll(/\bimport\s*\(?\s*["']([^"']+)["']/g),
  ].map((m) => m[1]!);
  return specifiers.filter((s) => s.startsWith(".")).map((s) => normalize(join(dirname(file), s)));
}

const home = (path: string) => (path.includes("/") ? path.slice(0, path.indexOf("/")) : path);

// What only reminders/ may write: the owed-reminder column, the topic, the job name, a declaration named for reminders.
const REMINDER_MARKERS = [
  /\breminderPendingAt\b/,
  /\bTOPICS\.reminders\b/,
  /["'`]reminder-/,
  /\bexport\s+(?:async\s+)?(?:function|const|class|interface|type)\s+\w*[Rr]emind/,
];
// The schema declares the column: one schema file for all tables, which the migrations are generated from.
const MAY_NAME_REMINDERS = new Set(["db/schema.ts"]);

function homeViolations(files: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const [file, text] of files) {
    const from = home(file);
    for (const target of importsOf(file, text)) {
      const to = home(target);
      if ((from === "tasks" && to === "outbox") || (from === "outbox" && to === "tasks"))
        problems.push(`${file} imports ${target}: tasks/ and outbox/ must not import each other`);
      else if (from === "outbox" && !["outbox", "db"].includes(to))
        problems.push(`${file} imports ${target}: outbox/ is the generic relay and needs only db/`);
    }
    if (from === "reminders" || MAY_NAME_REMINDERS.has(file)) continue;
    for (const marker of REMINDER_MARKERS)
      if (marker.test(text)) problems.push(`${file} has reminder code (${marker.source}): it belongs in reminders/`);
  }
  return problems;
}

function sourceTree(): Map<string, string> {
  const files = readdirSync(SRC, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  return new Map(files.map((f) => [relative(SRC, join(SRC, f)), readFileSync(join(SRC, f), "utf8")]));
}

describe("one home per concern in todo-api", () => {
  test("the source keeps tasks/, outbox/ and reminders/ apart", () => {
    const files = sourceTree();
    expect(files.has("reminders/sweeper.ts")).toBe(true); // the walk found the tree
    expect(homeViolations(files)).toEqual([]);
  });

  test("the checker reports the old layout: reminder rows in outbox/, a two-way import, firing in tasks/", () => {
    const old = new Map([
      ["outbox/changes.ts", 'import type { Task } from "../tasks/model.ts";\nexport function reminderRows() {}'],
      ["tasks/service.ts", 'import { eventRows } from "../outbox/changes.ts";\nconst q = { reminderPendingAt: null };'],
      ["outbox/relay.ts", 'import { outbox } from "../db/schema.ts";\nimport { x } from "./batches.ts";'],
    ]);
    expect(homeViolations(old)).toEqual([
      "outbox/changes.ts imports tasks/model.ts: tasks/ and outbox/ must not import each other",
      "outbox/changes.ts has reminder code (\\bexport\\s+(?:async\\s+)?(?:function|const|class|interface|type)\\s+\\w*[Rr]emind): it belongs in reminders/",
      "tasks/service.ts imports outbox/changes.ts: tasks/ and outbox/ must not import each other",
      "tasks/service.ts has reminder code (\\breminderPendingAt\\b): it belongs in reminders/",
    ]);
  });
});
