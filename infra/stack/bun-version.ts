// The launchers run only on the Bun releases package.json's `engines.bun`
// declares: another release has changed test outcomes before (ICU strings,
// module resolution), and a clear refusal beats a confusing failure later.
// Imported first by dev.ts, test.ts and bench/run.ts for its side effect.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

export const README_COMMAND = "npx --yes bun@1.3.14 run <dev|test>";

/** Why this Bun cannot run the project, or null when it can. */
export function bunVersionProblem(version: string, range: string): string | null {
  if (Bun.semver.satisfies(version, range)) return null;
  return `Bun ${version} is outside the supported range ${range} (package.json engines.bun). Run the README's command instead: ${README_COMMAND}`;
}

const manifest = JSON.parse(readFileSync(resolve(import.meta.dir, "../../package.json"), "utf8")) as {
  engines: { bun: string };
};
const problem = bunVersionProblem(Bun.version, manifest.engines.bun);
if (problem && !process.env.TODO_PLATFORM_ANY_BUN) {
  console.error(`error: ${problem}`);
  process.exit(1);
}
