// The platform's alert rules (observability/prometheus-rule.yaml) under
// promtool: they load, and their unit tests (observability/rules.test.yaml)
// pass, with a case where each alert fires and one where it stays quiet.
import { beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { alertRuleGroups } from "../../infra/stack/prometheus.ts";
import { ensurePrometheus } from "../../infra/stack/setup.ts";

const repoRoot = resolve(import.meta.dir, "../..");
let promtool: string;
let dir: string;

beforeAll(async () => {
  promtool = join(await ensurePrometheus(repoRoot), "promtool");
  dir = mkdtempSync(join(tmpdir(), "alert-rules-"));
  writeFileSync(join(dir, "rules.yaml"), stringify(alertRuleGroups(repoRoot)));
  copyFileSync(join(repoRoot, "observability/rules.test.yaml"), join(dir, "rules.test.yaml"));
  // `bun run test` installs promtool before the unit tier; run on its own on a
  // cold machine, this hook installs it (apt, a minute or so).
}, 300_000);

async function run(...args: string[]): Promise<{ code: number; output: string }> {
  const child = Bun.spawn([promtool, ...args], { cwd: dir, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { code, output: out + err };
}

interface RuleTest {
  alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[];
}

describe("alert rules", () => {
  test("promtool check rules accepts them", async () => {
    const { code, output } = await run("check", "rules", "rules.yaml");
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining("SUCCESS") });
  });

  test("promtool test rules: every unit test passes", async () => {
    const { code, output } = await run("test", "rules", "rules.test.yaml");
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining("SUCCESS") });
  });

  test("every alert has a unit test where it fires and one where it stays quiet", () => {
    const alerts = alertRuleGroups(repoRoot).groups.flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : [])));
    const cases = (
      parse(readFileSync(join(repoRoot, "observability/rules.test.yaml"), "utf8")).tests as RuleTest[]
    ).flatMap((t) => t.alert_rule_test ?? []);
    const missing = alerts.flatMap((alert) => {
      const mine = cases.filter((c) => c.alertname === alert);
      return [
        ...(mine.some((c) => (c.exp_alerts ?? []).length > 0) ? [] : [`${alert}: no case where it fires`]),
        ...(mine.some((c) => (c.exp_alerts ?? []).length === 0) ? [] : [`${alert}: no case where it stays quiet`]),
      ];
    });
    expect(alerts.length).toBeGreaterThanOrEqual(7);
    expect(missing).toEqual([]);
  });
});
