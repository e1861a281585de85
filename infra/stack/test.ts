// `bun run test`: unit tests (no infrastructure), the gitops tier (every
// kustomization rendered, validated and checked; kubectl only), then the integration suites
// and a short run of the fault scenarios against a real stack this script
// starts once on its own ports (offset 100) with throwaway data, and stops
// afterwards, then the delivery tests against a Kubernetes control plane on
// free loopback ports (infra/delivery/tier.ts). Reports each tier's time and
// ends with the plain summary line "N passed, N failed" that CI reads. On
// Ctrl-C or SIGTERM it stops the running tier's process group, then the stack
// (infra/stack/signals.ts).
import "./bun-version.ts"; // first: refuse an unsupported Bun before anything starts
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { stackPorts } from "./ports.ts";
import { step } from "./process.ts";
import { ensurePrometheus, ensureTools } from "./setup.ts";
import { SERVICE_DATABASES, startStack, type Stack } from "./stack.ts";
import { describeStack } from "./state.ts";
import { startControl } from "./control.ts";
import { onStopSignal, stoppedWithGroup } from "./signals.ts";
import { runQuickTier } from "./quick.ts";
import { failedTests } from "./failures.ts";
import { ensureDeliveryTools, runDeliveryTier } from "../delivery/tier.ts";

const repoRoot = resolve(import.meta.dir, "../..");
const scope = process.env.TEST_SCOPE ?? "all"; // all | unit | quick (unit + quick tier) | gitops | integration | faults | delivery
const totals = { passed: 0, failed: 0, skipped: 0 };
const tierTimes: string[] = [];
/** Every failed test and check of the run, repeated at the end (infra/stack/failures.ts). */
const failures: string[] = [];
/**
 * How long a tier's `bun test` gets to stop what it started after Ctrl-C (the
 * delivery tier stops a control plane, Argo CD and redis) before its whole
 * process group is killed.
 */
const TIER_STOP_GRACE_MS = 30_000;

/** One failed test or check of the launcher's own: printed now, counted, and named again at the end. */
function failed(line: string): number {
  console.log(line);
  totals.failed += 1;
  failures.push(line);
  return 1;
}

/** Runs one tier, noting its wall time for the closing report. */
async function timed<T>(tier: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await run();
  } finally {
    const s = Math.round((Date.now() - started) / 1000);
    tierTimes.push(`${tier} ${Math.floor(s / 60)} min ${s % 60} s`);
  }
}

/** Runs `bun test` with the given arguments, echoing its output and adding up its counts. */
async function bunTest(args: string[], env: Record<string, string> = {}): Promise<number> {
  const child = stoppedWithGroup(
    Bun.spawn(["bun", "test", ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env } as Record<string, string>,
      stdout: "pipe",
      stderr: "pipe",
      detached: true,
    }),
    TIER_STOP_GRACE_MS,
  );
  const echo = async (stream: ReadableStream<Uint8Array>, sink: NodeJS.WriteStream) => {
    let text = "";
    for await (const chunk of stream) {
      sink.write(chunk);
      text += new TextDecoder().decode(chunk);
    }
    return text;
  };
  const [out, err, code] = await Promise.all([
    echo(child.stdout, process.stdout),
    echo(child.stderr, process.stderr),
    child.exited,
  ]);
  const count = (word: string) => Number((out + err).match(new RegExp(`^\\s*(\\d+) ${word}$`, "m"))?.[1] ?? 0);
  totals.passed += count("pass");
  totals.failed += count("fail");
  totals.skipped += count("skip");
  failures.push(...failedTests(err));
  if (code !== 0 && count("fail") === 0) {
    // a crash or a file that failed to load
    totals.failed += 1;
    failures.push(`bun test ${args.join(" ")} exited with code ${code} without a failed test; see its output above`);
  }
  return code;
}

/**
 * A standing check after the integration tests: no configured secret value
 * (the sidecar API tokens, the JWT signing key) appears in any process's log
 * of the whole run. Counted as one test.
 */
function checkLogsForSecrets(logDir: string, secrets: string[]): number {
  const leaks = readdirSync(logDir)
    .filter((f) => f.endsWith(".log"))
    .flatMap((f) => {
      const text = readFileSync(join(logDir, f), "utf8");
      return secrets.filter((s) => s && text.includes(s)).map(() => f);
    });
  if (leaks.length) return failed(`(fail) secrets never appear in logs: found in ${[...new Set(leaks)].join(", ")}`);
  console.log(
    `(pass) secrets never appear in logs (${secrets.length} values, ${readdirSync(logDir).length} log files)`,
  );
  totals.passed += 1;
  return 0;
}

/** The launcher restarts a crashed process, as Kubernetes would; a test run must not need it. */
function checkNothingCrashed(logDir: string): number {
  const crashed = readdirSync(logDir).filter(
    (f) => f.endsWith(".log") && readFileSync(join(logDir, f), "utf8").includes("process exited unexpectedly"),
  );
  if (crashed.length) return failed(`(fail) no process crashed during the run: see ${crashed.join(", ")} in ${logDir}`);
  console.log("(pass) no process crashed during the run");
  totals.passed += 1;
  return 0;
}

const localJwtSecret = () =>
  JSON.parse(readFileSync(join(repoRoot, "dapr/secrets.local.json"), "utf8"))["jwt-secret"] as string;

/**
 * Biome's formatter and linter over the repository (biome.json says which
 * rules and why), counted as one test. `bun run format` fixes what it can.
 */
async function checkFormatAndLint(): Promise<number> {
  const child = stoppedWithGroup(
    Bun.spawn(["bunx", "biome", "check", "--max-diagnostics=50", "."], {
      cwd: repoRoot,
      stdout: "inherit",
      stderr: "inherit",
      detached: true,
    }),
    TIER_STOP_GRACE_MS,
  );
  const code = await child.exited;
  if (code !== 0) return failed("(fail) biome check: run `bun run format`");
  console.log("(pass) biome: formatted and lint-clean");
  totals.passed += 1;
  return 0;
}

let exitCode = 0;
if (scope === "all" || scope === "unit" || scope === "quick") {
  step("formatting and lint (Biome)");
  exitCode ||= await timed("lint", checkFormatAndLint);
  // The alert rules' unit tests run promtool. On a cold machine its Debian
  // package is installed here, with apt's progress, rather than inside a test
  // hook whose timeout would kill dpkg mid-install.
  await ensurePrometheus(repoRoot);
  step("unit tests");
  const ignore = ["int", "quick", "gitops", "fault", "delivery"].map((tier) => `**/*.${tier}.test.ts`);
  // Files in parallel (a worker per core): the WebSocket idle test waits out
  // Bun's real idle timeout, which the other files can use.
  const unit = await timed("unit", () =>
    bunTest(["--parallel", ...[...ignore, "**/node_modules/**"].map((p) => `--path-ignore-patterns=${p}`)]),
  );
  exitCode ||= unit;
}

// Rendering and type-checking every kustomization takes longer than all unit
// tests together, so it is a tier of its own: in every full run, not in quick.
if (scope === "all" || scope === "gitops") {
  step("gitops tier: every kustomization rendered, schema-checked and held to the policies");
  // Computed before `||=`, which would skip the tier once an earlier one failed.
  const gitops = await timed("gitops", () => bunTest([".gitops.test.ts", "--timeout=120000"]));
  exitCode ||= gitops;
}

if (scope === "all" || scope === "quick") {
  step("quick tier: todo-api's and audit-log's HTTP layers over a real Postgres");
  const quick = await timed("quick", () =>
    runQuickTier(repoRoot, (env) => bunTest([".quick.test.ts", "--timeout=60000"], env)),
  );
  exitCode ||= quick;
}

/** Something the tests needed could not be set up: one failed test, named at the end. */
function setUpFailed(what: string, err: unknown): number {
  return failed(`(fail) ${what}: ${err instanceof Error ? err.message : String(err)}`);
}

/** Runs the delivery tier, counting a failure to set it up as one failed test. */
async function deliveryTier(bins: Record<string, string>, infoFile: string): Promise<void> {
  step("delivery tests (Kubernetes control plane, images)");
  // Computed before `||=`, which would skip it once an earlier tier failed.
  const code = await timed("delivery", () =>
    runDeliveryTier(bins, bunTest, infoFile).catch((err) => setUpFailed("the delivery tier", err)),
  );
  exitCode ||= code;
}

/**
 * One stack for the tiers that need it: the integration suites, the fault
 * scenarios, then the delivery tests (the todo-api image runs against it).
 */
async function stackTiers(): Promise<void> {
  const delivery = scope === "all" || scope === "delivery";
  // A tool that fails to build fails the tier, not the whole run.
  const deliveryBins = delivery
    ? await timed("delivery tools", () => ensureDeliveryTools(repoRoot)).catch((err) => {
        exitCode ||= setUpFailed("the delivery tools", err);
        return undefined;
      })
    : undefined;
  const tools = await ensureTools(repoRoot);
  const stateDir = mkdtempSync(join(tmpdir(), "todo-platform-test-"));
  const logDir = join(stateDir, "logs");
  let stack: Stack | undefined;
  // Runs after the current tier's child has stopped (clean-ups registered later run first).
  const unregister = onStopSignal(async () => {
    await stack?.stop();
  });
  try {
    const started = Date.now();
    const ports = stackPorts(process.env, 100);
    const llmBaseUrl = `http://127.0.0.1:${ports.llm}/v1`; // where the model tests start their stand-in
    stack = await startStack({
      repoRoot,
      stateDir,
      logDir,
      ports,
      tools,
      echo: false,
      watch: false,
      ephemeral: true,
      llmBaseUrl,
    });
    const { versions } = stack;
    step(
      `stack ready in ${((Date.now() - started) / 1000).toFixed(1)}s: daprd ${versions.daprd}, Apache Kafka ${versions.kafka}, PostgreSQL ${versions.postgres}`,
    );
    // The trace tests need every span from the first request on.
    await stack.tracesReady;
    step(`Zipkin ready after ${((Date.now() - started) / 1000).toFixed(1)}s`);
    const control = startControl(stack);
    const infoFile = join(stateDir, "stack.json");
    const info = {
      ...describeStack(stack, repoRoot, logDir, Object.values(SERVICE_DATABASES) as string[]),
      controlUrl: control.url,
    };
    writeFileSync(infoFile, JSON.stringify(info, null, 2));
    if (scope === "all" || scope === "integration") {
      step("integration tests");
      // Three minutes per test unless it asks for more: a test that hangs fails well inside CI's budget.
      const integration = await timed("integration", () =>
        bunTest([".int.test.ts", "--timeout=180000"], { STACK_INFO: infoFile }),
      );
      // Before the fault scenarios, which kill processes on purpose.
      const crashes = checkNothingCrashed(logDir);
      exitCode ||= integration || crashes;
    }
    if (scope !== "delivery") {
      // The short version (5 s of load per scenario) belongs to every run; `bun run test:faults` is the long one.
      const faultSeconds = process.env.FAULT_SECONDS ?? (scope === "faults" ? "60" : "5");
      step(`fault scenarios, ${faultSeconds} s of load each`);
      const faults = await timed("faults", () =>
        bunTest([".fault.test.ts", "--timeout=600000"], { STACK_INFO: infoFile, FAULT_SECONDS: faultSeconds }),
      );
      const leaks = checkLogsForSecrets(logDir, [stack.tokens.dapr, stack.tokens.app, localJwtSecret()]);
      exitCode ||= faults || leaks;
    }
    if (deliveryBins) await deliveryTier(deliveryBins, infoFile);
  } catch (err) {
    exitCode ||= setUpFailed("the stack", err);
  } finally {
    step("stopping the stack");
    await stack?.stop();
    unregister();
    if (exitCode === 0) rmSync(stateDir, { recursive: true, force: true });
    else step(`logs of every process kept in ${logDir}`);
  }
}

if (scope !== "unit" && scope !== "quick" && scope !== "gitops") await stackTiers();

step(`time per tier: ${tierTimes.join(", ")}`);
if (failures.length) {
  step(`what failed (${failures.length}):`);
  for (const failure of failures) console.log(`  ${failure}`);
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
process.exit(exitCode);
