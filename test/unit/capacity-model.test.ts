// The capacity model's arithmetic: which part saturates first, and why.
import { describe, expect, test } from "bun:test";
import { capacityLimits, type ModelInputs } from "../../bench/capacity-model.ts";

const inputs = (over: Partial<ModelInputs> = {}): ModelInputs => ({
  todoApi: { measuredCreatesPerSecond: 200, appCoreMs: 2, sidecarCoreMs: 1 },
  postgresCoreMsPerWrite: 0.5,
  consumers: [
    {
      service: "audit-log",
      topic: "task-events",
      perReplica: 900,
      perPartition: 400,
      appCoreMs: 1,
      sidecarCoreMs: 0.5,
      eventsPerWrite: 1,
      fanOut: false,
    },
    {
      service: "ws-sync",
      topic: "task-updates",
      perReplica: 3000,
      perPartition: 1500,
      appCoreMs: 0.25,
      sidecarCoreMs: 0.25,
      eventsPerWrite: 1,
      fanOut: true,
    },
  ],
  cloud: {
    partitions: 6,
    todoApiMaxReplicas: 10,
    consumerMaxReplicas: { "audit-log": 6, "ws-sync": 10 },
    appCpuLimit: 0.5,
    sidecarCpuLimit: 0.5,
    databaseVcpus: 2,
  },
  ...over,
});

const limitOf = (m: ModelInputs, part: string) => capacityLimits(m).find((l) => l.part === part)!.writesPerSecond;

describe("capacity model", () => {
  test("todo-api: replicas × the creates one CPU limit allows, by the busier of app and sidecar", () => {
    // 0.5 core ÷ 2 core-ms = 250 creates/s per replica, × 10 replicas.
    expect(limitOf(inputs(), "todo-api")).toBe(2500);
  });

  test("a consumer group: at most one replica per partition, each bounded by its partition or its CPU", () => {
    // 6 replicas × min(CPU 500/s, 1 partition × 400/s).
    expect(limitOf(inputs(), "audit-log")).toBe(2400);
    const fewPartitions = inputs();
    fewPartitions.cloud.partitions = 3;
    expect(limitOf(fewPartitions, "audit-log")).toBe(1200);
  });

  test("a fan-out consumer does not scale with replicas", () => {
    // min(CPU 2000/s, 6 partitions × 1500/s, measured 3000/s per replica).
    expect(limitOf(inputs(), "ws-sync")).toBe(2000);
  });

  test("the lowest ceiling comes first, with what to change next", () => {
    const m = inputs({ postgresCoreMsPerWrite: 4 });
    const [first] = capacityLimits(m);
    expect(first!.part).toBe("Postgres");
    expect(first!.writesPerSecond).toBe(500);
    expect(first!.next).toContain("database tier");
  });

  test("events per write divide a consumer's ceiling", () => {
    const m = inputs();
    m.consumers[0]!.eventsPerWrite = 2;
    expect(limitOf(m, "audit-log")).toBe(1200);
  });

  test("a consumer measured on one kind of its events is a part of its own, with its own replicas", () => {
    const m = inputs();
    m.consumers.push({ ...m.consumers[0]!, work: "completions", perPartition: 50, perReplica: 120 });
    // 6 replicas (its service's maximum) × one partition each at 50/s, not the 400/s of its other events.
    expect(limitOf(m, "audit-log (completions)")).toBe(300);
    expect(limitOf(m, "audit-log")).toBe(2400);
    expect(capacityLimits(m)[0]!.part).toBe("audit-log (completions)");
  });
});
