// Property-based fuzzing of the public API from its own OpenAPI document:
// schemathesis (from PyPI) sends well over 1000 generated requests, valid
// and invalid, with a fixed seed and budget, and checks that none gets a 5xx
// and every response matches what /openapi documents. Its stateful phase
// chains requests through the ids the server hands out, so the seed does not
// fix every request: a failure there is still a real bug; its report prints
// the curl line that reproduces it.
//
// One check is left out: positive_data_acceptance ("a schema-valid request
// must be accepted"). The API rightly rejects some schema-valid input with
// 422, for rules JSON Schema cannot express: impossible dates (Feb 31),
// remind_at after due_at, RRULE content, opaque cursors, and ranges of
// numbers in query strings (checked in code so errors can name the field).
// And use_after_free, which its stateful phase reports when the history of a
// deleted task still answers 200: kept readable by design (see below).
import { expect, test } from "bun:test";
import { APP_IDS, signToken } from "@todo/shared";
import { join } from "node:path";
import { jwtSecret } from "../support/api.ts";
import { appUrl, stack } from "../support/stack.ts";

test("schemathesis finds no server error and no response that breaks the documented schema", async () => {
  const setup = Bun.spawnSync(["bash", join(stack().repoRoot, "infra/setup/schemathesis.sh")], { stderr: "inherit" });
  expect(setup.exitCode).toBe(0);
  const st = setup.stdout.toString().trim();
  const token = await signToken(jwtSecret(), { sub: `fuzzer-${crypto.randomUUID()}`, email: "fuzzer@example.test" });
  const run = Bun.spawn(
    [
      st,
      "run",
      appUrl(APP_IDS.todoApi, "/openapi"),
      "--header",
      `Authorization: Bearer ${token}`,
      // use_after_free: a deleted task's history stays readable by its owner by design
      // (README, "History and notifications"); the task itself answers 404.
      "--checks",
      "all",
      "--exclude-checks",
      "positive_data_acceptance,use_after_free",
      // One worker: with several threads, CPython 3.11 sometimes fails inside schemathesis
      // ("AST constructor recursion depth mismatch"), an error of the tool, not of the API.
      "--max-examples",
      "100",
      "--seed",
      "42",
      "--workers",
      "1",
    ],
    {
      stdout: "pipe",
      stderr: "pipe",
      cwd: stack().logDir,
      env: { ...process.env, NO_COLOR: "1", SCHEMATHESIS_HOOKS: "" },
    },
  );
  const [out, err, code] = await Promise.all([
    new Response(run.stdout).text(),
    new Response(run.stderr).text(),
    run.exited,
  ]);
  const summary = out.match(/(\d+) generated[^\n]*/)?.[0] ?? "no summary";
  console.log(`schemathesis: ${summary}`);
  if (code !== 0) console.log(out.slice(-6000), err.slice(-2000));
  expect(code).toBe(0);
  expect(Number(summary.match(/^(\d+)/)?.[1] ?? 0)).toBeGreaterThanOrEqual(1000);
}, 600_000);
