// The failed tests of a run, gathered from each tier's `bun test` report and
// printed again just above the closing "N passed, N failed" line. A full run
// prints tens of thousands of lines, and CI logs are often read from the end:
// the end has to name what failed and why.

/** At most this many lines of a failure's error are repeated. */
const ERROR_LINES = 12;

/**
 * Each failed test in a `bun test` report (its stderr), as "file: (fail) name",
 * followed by the error lines bun printed for it (source excerpts left out).
 */
export function failedTests(report: string): string[] {
  const failures: string[] = [];
  let file = "";
  let error: string[] = [];
  const lines = report.split("\n");
  for (const [i, line] of lines.entries()) {
    if (/^\d+ tests? failed:$/.test(line.trim())) break; // bun's closing list repeats what came before
    if (/^\S.*\.[cm]?[jt]sx?:$/.test(line)) {
      file = line.slice(0, -1);
      error = [];
    } else if (/^\((pass|skip|todo)\) /.test(line)) {
      error = [];
    } else if (line.startsWith("(fail) ")) {
      const hint = lines[i + 1]?.startsWith("  ^ ") ? [lines[i + 1]!.trim()] : [];
      failures.push([`${file ? `${file}: ` : ""}${line}`, ...hint, ...error.slice(0, ERROR_LINES)].join("\n    "));
      error = [];
    } else if (line.trim() && !/^\s*\d+ \|/.test(line) && !/^\s*\^\s*$/.test(line) && !line.startsWith("  ^ ")) {
      error.push(line.trimEnd());
    }
  }
  return failures;
}
