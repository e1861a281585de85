// dapr/ must say what the code says: each consumer's subscription table
// matches its declarative Subscription, and each pub/sub component is scoped
// to exactly the apps that use it.
import { describe, expect, test } from "bun:test";
import { APP_IDS, createLogger, expectedSubscriptionResource, PUBSUB, type AnySubscription, type AppId } from "@todo/shared";
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
    for (const [appId, table] of TABLES) for (const sub of table) (users.get(sub.pubsubname) ?? users.set(sub.pubsubname, new Set()).get(sub.pubsubname)!).add(appId);
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

describe("dapr/dapr.yaml (for Dapr CLI users)", () => {
  test("uses the same app ids and ports as the launcher", async () => {
    const { stackPorts } = await import("../../infra/stack/ports.ts");
    const ports = stackPorts({});
    const run = parseAllDocuments(readFileSync(join(root, "dapr/dapr.yaml"), "utf8"))[0]!.toJS();
    for (const app of run.apps) {
      const want = ports.services[app.appID as AppId];
      expect({ app: app.appPort, daprHttp: app.daprHTTPPort, daprGrpc: app.daprGRPCPort, daprMetrics: app.metricsPort }).toEqual(want);
      expect(app.env.PORT).toBe(want.app);
    }
  });
});
