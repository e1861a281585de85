// dapr/ must say what the code says: each consumer's subscription table
// matches its declarative Subscription, each pub/sub component is scoped
// to exactly the apps that use it, and every resiliency policy applies to
// something, with invocation retries only where a repeat is harmless.
import { describe, expect, test } from "bun:test";
import {
  APP_IDS,
  createLogger,
  expectedSubscriptionResource,
  PUBSUB,
  type AnySubscription,
  type AppId,
} from "@todo/shared";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { subscriptions as auditLog } from "../../services/audit-log/src/subscriptions.ts";
import { subscriptions as notification } from "../../services/notification/src/subscriptions.ts";
import { subscriptions as recurring } from "../../services/recurring/src/subscriptions.ts";
import { subscriptions as wsSync } from "../../services/ws-sync/src/subscriptions.ts";

const root = join(import.meta.dir, "../..");
const log = createLogger({ service: "test", write: () => {} });
// The tables only need their dependencies when a handler runs.
const deps = { log } as never;
const TABLES: [AppId, AnySubscription[]][] = [
  [APP_IDS.notification, notification(deps)],
  [APP_IDS.recurring, recurring(deps)],
  [APP_IDS.auditLog, auditLog(deps)],
  [APP_IDS.wsSync, wsSync(deps)],
];

function resources(dir: string) {
  return readdirSync(join(root, dir))
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((f) => parseAllDocuments(readFileSync(join(root, dir, f), "utf8")).map((d) => d.toJS()));
}

describe("dapr/subscriptions", () => {
  const declared = resources("dapr/subscriptions");

  for (const [appId, table] of TABLES) {
    test(`${appId}'s subscription table matches its declarative Subscriptions`, () => {
      const mine = declared.filter((r) => r.scopes?.includes(appId));
      expect(mine).toEqual(table.map((sub) => expectedSubscriptionResource(sub, [appId])));
    });
  }

  test("every declared Subscription belongs to a table", () => {
    const names = TABLES.flatMap(([, t]) => t.map((s) => s.name)).sort();
    expect(declared.map((r) => r.metadata.name).sort()).toEqual(names);
  });
});

describe("dapr/components", () => {
  const components = resources("dapr/components").filter((r) => r.kind === "Component");
  const scopesOf = (name: string) => (components.find((c) => c.metadata.name === name)?.scopes ?? []).slice().sort();

  test("each pub/sub component is scoped to its publisher and exactly the apps that subscribe through it", () => {
    const users = new Map<string, Set<string>>([[PUBSUB, new Set([APP_IDS.todoApi])]]);
    for (const [appId, table] of TABLES)
      for (const sub of table)
        (users.get(sub.pubsubname) ?? users.set(sub.pubsubname, new Set()).get(sub.pubsubname)!).add(appId);
    for (const [pubsub, apps] of users) expect(scopesOf(pubsub)).toEqual([...apps].sort());
  });

  test("the Kafka components pin a protocol version Kafka 4 accepts and never auto-create topics", () => {
    for (const c of components.filter((c) => c.spec.type === "pubsub.kafka")) {
      const meta = Object.fromEntries(c.spec.metadata.map((m: { name: string; value?: string }) => [m.name, m.value]));
      expect(meta.version).toMatch(/^[4-9]\./);
      expect(meta.disableTopicAutoCreation).toBe("true");
    }
  });
});

describe("dapr/components resiliency", () => {
  const files = readdirSync(join(root, "dapr/components")).filter((f) => f.endsWith(".yaml"));
  const docs = (f: string) =>
    parseAllDocuments(readFileSync(join(root, "dapr/components", f), "utf8")).map((d) => d.toJS());
  const resiliencies = files.flatMap(docs).filter((r) => r.kind === "Resiliency");
  const appIdOf = (key: string) => (APP_IDS as Record<string, string>)[key];

  /** caller>callee for every service whose source invokes another app: a file that calls invoke…( and names APP_IDS.<callee>. */
  const invocations = (): string[] => {
    const pairs = new Set<string>();
    for (const file of new Bun.Glob("services/*/src/**/*.ts").scanSync({ cwd: root })) {
      const caller = file.split("/")[1]!;
      const text = readFileSync(join(root, file), "utf8");
      if (!/\binvoke\w*\(/.test(text)) continue;
      for (const [, key] of text.matchAll(/APP_IDS\.(\w+)/g))
        if (appIdOf(key!) && appIdOf(key!) !== caller) pairs.add(`${caller}>${appIdOf(key!)}`);
    }
    return [...pairs].sort();
  };
  /** caller>callee pairs whose calls the caller's sidecar retries: app targets with a retry, in every Resiliency the caller loads. */
  const retried = (): Set<string> => {
    const pairs = new Set<string>();
    for (const caller of Object.values(APP_IDS))
      for (const r of resiliencies.filter((r) => !r.scopes?.length || r.scopes.includes(caller)))
        for (const [callee, target] of Object.entries<any>(r.spec.targets?.apps ?? {}))
          if (target.retry) pairs.add(`${caller}>${callee}`);
    return pairs;
  };
  // Calls that are safe to repeat (see resiliency-invocation.yaml for why).
  // web>todo-api is not: web forwards users' POSTs.
  const IDEMPOTENT = ["notification>todo-api", "recurring>todo-api", "todo-api>audit-log", "todo-api>notification"];
  // Of those, the ones the sidecar retries: todo-api's user-facing reads. recurring and notification retry on their own schedule.
  const RETRIED = ["todo-api>audit-log", "todo-api>notification"];

  test("each file holds one Resiliency: self-hosted daprd reads only a file's first document", () => {
    for (const f of files)
      if (docs(f).some((d) => d.kind === "Resiliency"))
        expect({ f, documents: docs(f).length }).toEqual({ f, documents: 1 });
  });

  test("every declared policy is used by a target of its Resiliency, and every app target is an app id", () => {
    for (const r of resiliencies) {
      const targets = Object.values<any>(r.spec.targets ?? {})
        .flatMap((group) => Object.values<any>(group))
        .flatMap((t) => [t, t.inbound, t.outbound].filter(Boolean));
      const used = new Set(targets.flatMap((t) => [t.retry, t.timeout, t.circuitBreaker]).filter(Boolean));
      const declared = Object.values<any>(r.spec.policies).flatMap((kind) => Object.keys(kind ?? {}));
      expect({ resiliency: r.metadata.name, unused: declared.filter((p) => !used.has(p)) }).toEqual({
        resiliency: r.metadata.name,
        unused: [],
      });
      expect({ resiliency: r.metadata.name, missing: [...used].filter((p) => !declared.includes(p)) }).toEqual({
        resiliency: r.metadata.name,
        missing: [],
      });
      for (const app of Object.keys(r.spec.targets?.apps ?? {})) expect(Object.values(APP_IDS)).toContain(app as AppId);
    }
  });

  test("service invocations are retried exactly where a repeat is harmless", () => {
    const calls = invocations();
    expect(calls).toEqual([...IDEMPOTENT, "web>todo-api"].sort());
    expect(calls.filter((c) => retried().has(c) && !IDEMPOTENT.includes(c))).toEqual([]);
    expect(calls.filter((c) => retried().has(c))).toEqual(RETRIED);
  });
});

describe("dapr/dapr.yaml (for Dapr CLI users)", () => {
  test("uses the same app ids and ports as the launcher", async () => {
    const { stackPorts } = await import("../../infra/stack/ports.ts");
    const ports = stackPorts({});
    const run = parseAllDocuments(readFileSync(join(root, "dapr/dapr.yaml"), "utf8"))[0]!.toJS();
    for (const app of run.apps) {
      const want = ports.services[app.appID as AppId];
      expect({
        app: app.appPort,
        daprHttp: app.daprHTTPPort,
        daprGrpc: app.daprGRPCPort,
        daprMetrics: app.metricsPort,
      }).toEqual(want);
      expect(app.env.PORT).toBe(want.app);
    }
  });
});
