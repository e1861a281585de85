// The quick tier of `bun run test` (alone: `bun run test:quick`): starts only
// a throwaway Postgres, which takes a second or two, and runs the
// `*.quick.test.ts` files, which drive todo-api's and audit-log's HTTP layer
// in process (test/support/quick.ts). Stops the Postgres again, whatever happened.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stackPorts } from "./ports.ts";
import { startPostgres } from "./postgres.ts";
import { step } from "./process.ts";
import { onStopSignal } from "./signals.ts";
import { ensurePostgres } from "./setup.ts";

export async function runQuickTier(
  repoRoot: string,
  runTests: (env: Record<string, string>) => Promise<number>,
): Promise<number> {
  const binDir = await ensurePostgres(repoRoot);
  const stateDir = mkdtempSync(join(tmpdir(), "todo-platform-quick-"));
  chmodSync(stateDir, 0o755); // as root, Postgres runs as another user and must reach its data directory below
  // Its own port, 50 above the test stack's Postgres, so it can run beside `bun run test` and `bun run dev`.
  const port = stackPorts(process.env, 100).postgres + 50;
  const started = Date.now();
  const postgres = await startPostgres({
    binDir,
    dataDir: join(stateDir, "postgres"),
    port,
    databases: ["todo", "audit"],
    logDir: join(stateDir, "logs"),
    echo: false,
    ephemeral: true,
  });
  step(`quick tier: Postgres ${postgres.version} ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  const unregister = onStopSignal(async () => {
    await postgres.proc.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });
  try {
    const infoFile = join(stateDir, "quick.json");
    writeFileSync(
      infoFile,
      JSON.stringify({ repoRoot, databaseUrl: postgres.url("todo"), auditDatabaseUrl: postgres.url("audit") }),
    );
    return await runTests({ QUICK_INFO: infoFile });
  } finally {
    unregister();
    await postgres.proc.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}
