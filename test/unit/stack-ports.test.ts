// The launcher's port plan: every instance of every service (up to
// MAX_REPLICAS each) gets ports of its own, none in the ephemeral range an
// outgoing connection may already hold, and an offset moves all of them.
import { describe, expect, test } from "bun:test";
import {
  allPorts,
  allReplicas,
  MAX_REPLICAS,
  parseReplica,
  replicaCounts,
  replicaPorts,
  stackPorts,
} from "../../infra/stack/ports.ts";

const EPHEMERAL = { from: 32768, to: 60999 }; // Linux's default ip_local_port_range

function everyPort(offset: number): [string, number][] {
  const ports = stackPorts({ STACK_PORT_OFFSET: String(offset) });
  const replicas = allReplicas(ports).flatMap(([name, r]) =>
    Object.entries(r.ports).map(([k, v]) => [`${name} ${k}`, v] as [string, number]),
  );
  return [...allPorts(ports), ["llm", ports.llm], ["smtp", ports.smtp], ...replicas];
}

describe("stack ports", () => {
  for (const offset of [0, 100, 2200]) {
    test(`no two instances share a port with ${MAX_REPLICAS} of every service (offset ${offset})`, () => {
      const seen = new Map<number, string>();
      const clashes: string[] = [];
      for (const [what, port] of everyPort(offset)) {
        if (seen.has(port)) clashes.push(`${port}: ${seen.get(port)} and ${what}`);
        seen.set(port, what);
      }
      expect(clashes).toEqual([]);
    });
  }

  test("nothing the stack listens on lies in the ephemeral range", () => {
    for (const offset of [0, 100, 2200]) {
      const inRange = everyPort(offset).filter(([, port]) => port >= EPHEMERAL.from && port <= EPHEMERAL.to);
      expect({ offset, inRange }).toEqual({ offset, inRange: [] });
    }
  });

  test("the test stack (offset 100) shares no port with bun run dev (offset 0), extra instances included", () => {
    const dev = new Map(everyPort(0).map(([what, port]) => [port, what]));
    expect(
      everyPort(100)
        .filter(([, port]) => dev.has(port))
        .map(([what, port]) => `${port}: ${what} and dev's ${dev.get(port)}`),
    ).toEqual([]);
  });

  test("an extra instance's ports move with the stack's offset", () => {
    const at = (offset: number) => replicaPorts(stackPorts({ STACK_PORT_OFFSET: String(offset) }), "todo-api-3");
    const [base, shifted] = [at(0), at(2200)];
    for (const key of Object.keys(base) as (keyof typeof base)[]) expect(shifted[key] - base[key]).toBe(2200);
    expect(base).toEqual({ app: 3020, daprHttp: 3520, daprGrpc: 3570, daprMetrics: 9320 });
  });

  test("replica names: <app id>-2 up to the maximum, nothing else", () => {
    expect(parseReplica("todo-api-2")).toEqual({ appId: "todo-api", index: 2 });
    expect(parseReplica(`ws-sync-${MAX_REPLICAS}`)).toEqual({ appId: "ws-sync", index: MAX_REPLICAS });
    for (const name of [
      "todo-api",
      "todo-api-1",
      `todo-api-${MAX_REPLICAS + 1}`,
      "todo-api-2-dapr",
      "kafka-2",
      "nope-2",
    ])
      expect(parseReplica(name)).toBeUndefined();
    expect(() => replicaPorts(stackPorts({}), "todo-api-1")).toThrow("todo-api-1");
  });

  test("<SERVICE>_REPLICAS says how many instances to launch, and a bad count is refused by name", () => {
    expect(replicaCounts({ TODO_API_REPLICAS: "2", WS_SYNC_REPLICAS: "3", AUDIT_LOG_REPLICAS: "1" })).toEqual({
      "todo-api": 2,
      "ws-sync": 3,
    });
    expect(() => replicaCounts({ RECURRING_REPLICAS: "0" })).toThrow("RECURRING_REPLICAS");
    expect(() => replicaCounts({ RECURRING_REPLICAS: String(MAX_REPLICAS + 1) })).toThrow("RECURRING_REPLICAS");
    expect(() => replicaCounts({ NOTIFICATION_REPLICAS: "two" })).toThrow("NOTIFICATION_REPLICAS");
  });
});
