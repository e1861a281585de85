// Reads the metric selectors out of a PromQL expression (enough of PromQL for
// our alert rules and dashboards: functions, aggregations with by/without,
// binary operators, range and subquery brackets), and asks a Prometheus
// server's HTTP API about them.

export interface Selector {
  metric: string;
  /** The label names the selector matches on (`topic` in `{topic=~".+-dlq"}`). */
  labels: string[];
}

const KEYWORDS = new Set([
  // aggregations, which may be followed by `by (…)` before their parenthesis
  "sum",
  "min",
  "max",
  "avg",
  "count",
  "group",
  "stddev",
  "stdvar",
  "topk",
  "bottomk",
  "quantile",
  "count_values",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "bool",
  "and",
  "or",
  "unless",
  "offset",
  "inf",
  "nan",
]);

export function selectors(expr: string): Selector[] {
  const text = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // strings can hold anything
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, "$1") // label lists
    .replace(/\[[^\]]*\]/g, ""); // ranges and subqueries
  const found = new Map<string, Set<string>>();
  for (const m of text.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?\s*(\()?/g)) {
    const [, name, matchers, call] = m;
    if (call || KEYWORDS.has(name!.toLowerCase())) continue; // a function or aggregation, or a keyword
    const labels = found.get(name!) ?? new Set<string>();
    for (const l of (matchers ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)) labels.add(l[1]!);
    found.set(name!, labels);
  }
  return [...found].map(([metric, labels]) => ({ metric, labels: [...labels] }));
}

export interface QueryResult {
  status: "success" | "error";
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

/** An instant query; the answer as Prometheus gives it (an error is a result, not an exception). */
export async function query(baseUrl: string, promql: string): Promise<QueryResult> {
  const res = await fetch(`${baseUrl}/api/v1/query?${new URLSearchParams({ query: promql })}`, {
    signal: AbortSignal.timeout(10_000),
  });
  return (await res.json()) as QueryResult;
}

/** How many series `promql` returns now (0 when none, or on an error). */
export async function seriesCount(baseUrl: string, promql: string): Promise<number> {
  const r = await query(baseUrl, promql);
  return r.status === "success" ? (r.data?.result.length ?? 0) : 0;
}
