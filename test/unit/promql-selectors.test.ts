// The PromQL reader the monitoring integration test relies on: it must find
// every metric an expression names, and only metrics.
import { expect, test } from "bun:test";
import { selectors } from "../support/promql.ts";

test("finds the metrics and matched labels of an expression, not its functions, keywords or label lists", () => {
  expect(
    selectors(
      `sum by (service) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (service) (rate(http_requests_total[5m])) > 0.05`,
    ),
  ).toEqual([{ metric: "http_requests_total", labels: ["status"] }]);
  expect(
    selectors(
      `histogram_quantile(0.99, sum by (le) (rate(todo_reminder_lateness_seconds_bucket[10m]))) > 5 and on() up{job="x", app_id!=""} == 1`,
    ),
  ).toEqual([
    { metric: "todo_reminder_lateness_seconds_bucket", labels: [] },
    { metric: "up", labels: ["job", "app_id"] },
  ]);
  expect(selectors(`max_over_time(kafka_consumergroup_lag{topic="a{b}"}[10m:1m]) unless foo`)).toEqual([
    { metric: "kafka_consumergroup_lag", labels: ["topic"] },
    { metric: "foo", labels: [] },
  ]);
});
