// Local monitoring against the real stack: every service answers /metrics
// without a user token, Prometheus scrapes every app, sidecar, the Scheduler
// and Kafka's exporter, and after one reminder's trip through the system
// every metric an alert rule or a Grafana dashboard (gitops/monitoring/base/
// dashboards) names has series in Prometheus, with the labels it matches on,
// and every such expression evaluates without error. An extra instance
// started through the control port is scraped while it runs, and no longer
// once it is stopped.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { APP_IDS, type AppId } from "@todo/shared";
import { alertRuleGroups } from "../../infra/stack/prometheus.ts";
import { SERVICE_ORDER } from "../../infra/stack/ports.ts";
import { inSeconds, newUser } from "../support/api.ts";
import { Mailbox } from "../support/mailbox.ts";
import { query, selectors, seriesCount } from "../support/promql.ts";
import { appUrl, control, eventually, stack } from "../support/stack.ts";

const prometheus = () => {
  const url = stack().observability?.prometheus;
  if (!url) throw new Error("the stack reports no Prometheus (stack.json has no observability.prometheus)");
  return url;
};
const rules = () => alertRuleGroups(stack().repoRoot).groups.flatMap((g) => g.rules);
/** Every PromQL expression of the cluster's Grafana dashboards, named by dashboard and panel. */
function dashboardExpressions(): { name: string; expr: string }[] {
  const dir = join(stack().repoRoot, "gitops/monitoring/base/dashboards");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .flatMap((f) => {
      const dashboard = JSON.parse(readFileSync(join(dir, f), "utf8"));
      return dashboard.panels.flatMap((p: any) =>
        (p.targets ?? []).map((t: any) => ({ name: `${dashboard.title} / ${p.title}`, expr: t.expr as string })),
      );
    });
}
/** What the alerts and the dashboards ask Prometheus. */
const expressions = () => [...rules().map((r) => ({ name: r.alert, expr: r.expr })), ...dashboardExpressions()];

let mailbox: Mailbox;
beforeAll(async () => {
  mailbox = new Mailbox(stack().ports.smtp);
  await mailbox.open();
});
afterAll(() => mailbox.close());

/** What the alert rules and dashboards name that Prometheus has no series of, and the expressions it cannot evaluate. */
async function missingSeries(): Promise<string[]> {
  const missing: string[] = [];
  for (const { name, expr } of expressions()) {
    const evaluated = await query(prometheus(), expr);
    if (evaluated.status !== "success") missing.push(`${name}: ${evaluated.error}`);
    for (const { metric, labels } of selectors(expr)) {
      if ((await seriesCount(prometheus(), metric)) === 0) missing.push(`${name}: no series of ${metric}`);
      for (const label of labels)
        if ((await seriesCount(prometheus(), `${metric}{${label}!=""}`)) === 0)
          missing.push(`${name}: ${metric} has no label ${label}`);
    }
  }
  return missing;
}

describe("monitoring", () => {
  test("every service answers /metrics on its app port, without a user token, in Prometheus's text format", async () => {
    for (const appId of SERVICE_ORDER) {
      const res = await fetch(appUrl(appId, "/metrics"));
      const text = await res.text();
      expect({ appId, status: res.status, type: res.headers.get("content-type") }).toEqual({
        appId,
        status: 200,
        type: expect.stringContaining("text/plain"),
      });
      expect(text).toContain(`http_requests_total{`);
      expect(text).toContain(`service="${appId}"`);
    }
  });

  test("Prometheus scrapes every app, every sidecar, the Scheduler and the Kafka exporter", async () => {
    const expected = [
      ...SERVICE_ORDER.flatMap((id) => [`app/${id}`, `daprd/${id}`]),
      "dapr-scheduler/",
      "kafka-exporter/",
    ].sort();
    const up = await eventually(
      "every target up",
      async () => {
        const r = await query(prometheus(), "up == 1");
        const seen = (r.data?.result ?? []).map((s) => `${s.metric.job}/${s.metric.app_id ?? ""}`).sort();
        return expected.every((t) => seen.includes(t)) ? seen : undefined;
      },
      60_000,
    );
    expect(up).toEqual(expected);
  });

  test("after a reminder's trip, every metric an alert or a dashboard names has series, each expression evaluates, and no series names the job", async () => {
    const user = newUser("metrics");
    const me = await user;
    const created = await me.call("POST", "/api/tasks", {
      title: "Water the plants",
      due_at: inSeconds(3600),
      remind_at: inSeconds(2),
    });
    expect(created.status).toBe(201);
    await eventually("the reminder email", () => mailbox.to(me.email)[0], 60_000);
    expect((await me.call("POST", `/api/tasks/${created.body.id}/complete`)).status).toBe(200);

    // The reminder was measured at notification, the email counted as sent.
    await eventually(
      "the reminder's lateness and the email in Prometheus",
      async () =>
        (await seriesCount(prometheus(), "todo_reminder_lateness_seconds_count > 0")) > 0 &&
        (await seriesCount(prometheus(), 'todo_email_attempts_total{result="sent"} > 0')) > 0,
      60_000,
    );

    // Consumers commit their offsets, and Prometheus scrapes, every few seconds: wait for both.
    const missing = await eventually(
      "every metric an alert or a dashboard names",
      async () => {
        const found = await missingSeries();
        return found.length === 0 ? found : undefined;
      },
      60_000,
    ).catch(() => missingSeries());
    expect(missing).toEqual([]);
    expect(rules().length).toBeGreaterThanOrEqual(7);
    expect(dashboardExpressions().length).toBeGreaterThanOrEqual(20);

    // Dapr's HTTP metrics name the reminder's routes, never its job: otherwise
    // every reminder adds series for good (dapr/config.yaml).
    await eventually(
      "the job's routes in Dapr's HTTP metrics",
      async () =>
        ((await seriesCount(prometheus(), 'dapr_http_server_request_count{path="/v1.0-alpha1/jobs/{name}"}')) > 0 &&
          (await seriesCount(prometheus(), 'dapr_http_client_completed_count{path="/job/{name}"}')) > 0) ||
        undefined,
      60_000,
    );
    const perJob = await query(prometheus(), '{__name__=~"dapr_http_.+", path=~".*reminder-[0-9]+.*"}');
    expect({ status: perJob.status, series: perJob.data?.result.length }).toEqual({ status: "success", series: 0 });
  });

  test("the consumers' outcomes and the outbox backlog are reported per topic and per target", async () => {
    const byLabel = async (promql: string, label: string) =>
      ((await query(prometheus(), promql)).data?.result ?? []).map((s) => s.metric[label]).sort();
    const consumers: [AppId, string][] = [
      [APP_IDS.auditLog, "task-events"],
      [APP_IDS.recurring, "task-events"],
      [APP_IDS.notification, "reminders"],
      [APP_IDS.wsSync, "task-updates"],
    ];
    for (const [appId, topic] of consumers)
      expect(await byLabel(`todo_consumer_messages_total{service="${appId}",topic="${topic}"}`, "result")).toEqual([
        "DROP",
        "RETRY",
        "SUCCESS",
      ]);
    expect(await byLabel(`todo_outbox_oldest_pending_age_seconds`, "target")).toEqual([
      "jobs",
      "reminders",
      "task-events",
      "task-updates",
    ]);
  });

  test("an extra instance started after launch is scraped while it runs, and dropped when stopped", async () => {
    const name = "todo-api-2";
    const ports = stack().replicas?.[name]?.ports;
    if (!ports) throw new Error(`stack.json lists no ${name}`);
    const instances = [`app/127.0.0.1:${ports.app}`, `daprd/127.0.0.1:${ports.daprMetrics}`];
    /** The jobs and instances of todo-api that are up (`up == 1`) or that Prometheus still has as targets. */
    const todoApi = async (promql: string) =>
      ((await query(prometheus(), promql)).data?.result ?? []).map((s) => `${s.metric.job}/${s.metric.instance}`);
    await Promise.all([control(`${name}-dapr`, "start"), control(name, "start")]);
    try {
      const up = await eventually(
        `${name} and its sidecar up in Prometheus`,
        async () => {
          const seen = await todoApi('up{app_id="todo-api"} == 1');
          return instances.every((i) => seen.includes(i)) ? seen : undefined;
        },
        60_000,
      );
      expect(up).toEqual(expect.arrayContaining(instances));
    } finally {
      await Promise.all([control(name, "stop"), control(`${name}-dapr`, "stop")]);
    }
    // Dropped as targets: Prometheus stops writing `up` for them (their last sample goes stale).
    const left = await eventually(
      `${name} gone from Prometheus's targets`,
      async () => {
        const seen = await todoApi('up{app_id="todo-api"}');
        return instances.some((i) => seen.includes(i)) ? undefined : seen;
      },
      60_000,
    );
    expect(left.sort()).toEqual([
      `app/127.0.0.1:${stack().ports.services[APP_IDS.todoApi].app}`,
      `daprd/127.0.0.1:${stack().ports.services[APP_IDS.todoApi].daprMetrics}`,
    ]);
  });
});
