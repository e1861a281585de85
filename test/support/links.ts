// What keeps the repository standing alone: no file points outside it, and
// the Markdown links a reader follows lead to files that exist. Pure: the
// caller supplies the file's text and a way to ask whether a path exists.
import { dirname, join, normalize } from "node:path";

// The design brief the project started from lives outside the repository,
// under these names; the repository has its own docs/architecture.md and
// docs/dapr.md instead (lower case, so these never match them).
const OUTSIDE_DOCS = /\b(?:ARCHITECTURE|DAPR)\.md\b/g;
// A relative path climbing out of its folder: checked against the repo root.
const CLIMBING_PATH = /(?<![\w./-])(?:\.\.\/)+[\w@.-]+(?:\/[\w@.-]+)*/g;
// [text](target) in Markdown, target without spaces.
const MARKDOWN_LINK = /\]\(([^)\s]+)\)/g;

const lineOf = (text: string, index: number) => text.slice(0, index).split("\n").length;
const isUrl = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//");

/** Does `target`, relative to the folder of `file` (both repo-relative), stay inside the repository? */
function inside(file: string, target: string): boolean {
  const resolved = normalize(join(dirname(file), target));
  return resolved !== ".." && !resolved.startsWith("../");
}

/** Problems of one tracked file, as "path:line: what". */
export function linkProblems(file: string, text: string, exists: (repoPath: string) => boolean): string[] {
  const p: string[] = [];
  for (const m of text.matchAll(OUTSIDE_DOCS))
    p.push(`${file}:${lineOf(text, m.index)}: names ${m[0]}, a document outside the repository`);
  for (const m of text.matchAll(CLIMBING_PATH))
    if (!inside(file, m[0])) p.push(`${file}:${lineOf(text, m.index)}: ${m[0]} leads outside the repository`);
  if (file.endsWith(".md")) {
    for (const m of text.matchAll(MARKDOWN_LINK)) {
      const target = decodeURI(m[1]!.split("#")[0]!);
      if (!target || isUrl(target) || target.startsWith("/")) continue;
      const line = lineOf(text, m.index);
      if (!inside(file, target)) p.push(`${file}:${line}: link ${target} leads outside the repository`);
      else if (!exists(normalize(join(dirname(file), target))))
        p.push(`${file}:${line}: link ${target} points to nothing`);
    }
  }
  return p;
}
