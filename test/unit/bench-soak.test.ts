// The soak's arithmetic (bench/soak-plan.ts, bench/soak-stats.ts): the fault
// rotation, the pacer, RSS slopes across restarts, CPU shares, latency per
// window, and the fault suite's counts as effects lost and duplicated.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { faultSchedule, pacer, sharedConsumerGroups } from "../../bench/soak-plan.ts";
import { type SoakRun, writeSoakReport } from "../../bench/soak-report.ts";
import {
  cpuPercent,
  firstFrameLatencies,
  lostAndDuplicated,
  type ProcessSample,
  memorySlopeMbPerHour,
  windowedLatency,
} from "../../bench/soak-stats.ts";

const MIN = 60_000;

describe("fault rotation", () => {
  test("an hour with a fault every 5 minutes: 12 faults mid-period, each scenario twice in turn", () => {
    const periods = faultSchedule(60 * MIN, 5 * MIN, 6);
    expect(periods).toHaveLength(12);
    expect(periods.map((p) => p.scenario)).toEqual([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5]);
    expect(periods[0]).toEqual({ index: 0, startMs: 0, endMs: 5 * MIN, faultAtMs: 2.5 * MIN, scenario: 0 });
    expect(periods.at(-1)!.endMs).toBe(60 * MIN);
  });

  test("the smoke run (4 min, a fault a minute) rotates through four scenarios", () => {
    expect(faultSchedule(4 * MIN, MIN, 6).map((p) => [p.faultAtMs! / MIN, p.scenario])).toEqual([
      [0.5, 0],
      [1.5, 1],
      [2.5, 2],
      [3.5, 3],
    ]);
  });

  test("a last period too short to reach its middle gets no fault, and the load still covers the run", () => {
    const periods = faultSchedule(12 * MIN, 5 * MIN, 6);
    expect(periods.map((p) => [p.startMs / MIN, p.endMs / MIN, p.faultAtMs && p.faultAtMs / MIN])).toEqual([
      [0, 5, 2.5],
      [5, 10, 7.5],
      [10, 12, null],
    ]);
    expect(periods.at(-1)!.scenario).toBeNull();
    expect(faultSchedule(13 * MIN, 5 * MIN, 6).at(-1)).toEqual({
      index: 2,
      startMs: 10 * MIN,
      endMs: 13 * MIN,
      faultAtMs: 12.5 * MIN,
      scenario: 2,
    });
  });

  test("nonsense settings are refused", () => {
    expect(() => faultSchedule(60 * MIN, 0, 6)).toThrow("positive");
  });
});

describe("consumer groups the end count waits for", () => {
  test("every app subscribing through the shared pub/sub component, not ws-sync's per-instance fan-out", () => {
    expect(sharedConsumerGroups(join(import.meta.dir, "../../dapr/subscriptions"))).toEqual([
      "audit-log",
      "notification",
      "recurring",
    ]);
  });
});

describe("pacer", () => {
  test("spaces calls at the rate, and a slot missed while writers were stuck is not made up in a burst", async () => {
    let clock = 0;
    const slept: number[] = [];
    const pace = pacer(
      10,
      () => clock,
      async (ms) => {
        slept.push(ms);
        clock += ms;
      },
    );
    await pace();
    await pace();
    await pace();
    expect(slept).toEqual([100, 100]);
    clock += 5000; // a fault: nobody wrote for five seconds
    await pace();
    await pace();
    expect(slept).toEqual([100, 100, 100]);
    expect(pace.calls).toBe(5);
  });
});

const life = (pid: number, from: number, to: number, rss: (t: number) => number): ProcessSample[] =>
  Array.from({ length: (to - from) / 10_000 + 1 }, (_, i) => {
    const t = from + i * 10_000;
    return { t, pid, rssMb: rss(t), cpuTicks: t / 100 }; // 10 ticks a second: 10 % of a core
  });

describe("memory slope", () => {
  test("steady growth of 1 MB a minute is 60 MB/hour; warm-up growth is left out", () => {
    const samples = life(1, 0, 30 * MIN, (t) => (t < 5 * MIN ? 100 + t / 1000 : 400 + t / MIN));
    expect(memorySlopeMbPerHour(samples, 5 * MIN)).toBeCloseTo(60, 6);
    expect(memorySlopeMbPerHour(samples, 0)).toBeGreaterThan(60); // the warm-up ramp would count
  });

  test("flat memory across a restart is a zero slope, not the drop from the old process to the new one", () => {
    const samples = [...life(1, 0, 20 * MIN, () => 500), ...life(2, 20 * MIN, 40 * MIN, () => 200)];
    expect(memorySlopeMbPerHour(samples, 2 * MIN)).toBeCloseTo(0, 6);
  });

  test("each life brings its own warm-up; both lives growing show the shared slope", () => {
    const grow = (start: number, base: number) => (t: number) =>
      t - start < MIN ? base + (t - start) / 100 : base + 600 + (t - start) / (2 * MIN);
    const samples = [...life(1, 0, 20 * MIN, grow(0, 300)), ...life(2, 20 * MIN, 40 * MIN, grow(20 * MIN, 100))];
    expect(memorySlopeMbPerHour(samples, MIN)).toBeCloseTo(30, 6);
  });

  test("PSS has its own slope: backends touching more shared buffers grow RSS, not PSS", () => {
    const samples = life(1, 0, 30 * MIN, (t) => 200 + t / MIN).map((s) => ({ ...s, pssMb: 150 }));
    expect(memorySlopeMbPerHour(samples, 0)).toBeCloseTo(60, 6);
    expect(memorySlopeMbPerHour(samples, 0, "pssMb")).toBeCloseTo(0, 6);
  });

  test("samples without PSS (runs before it was sampled) give no PSS slope", () => {
    expect(
      memorySlopeMbPerHour(
        life(1, 0, 10 * MIN, () => 1),
        0,
        "pssMb",
      ),
    ).toBeNaN();
  });

  test("too few warm samples give no slope", () => {
    expect(
      memorySlopeMbPerHour(
        life(1, 0, 10_000, () => 1),
        0,
      ),
    ).toBeNaN();
  });
});

describe("CPU", () => {
  test("ticks between samples of one life are a share of a core; a restart's reset counter is not a negative share", () => {
    const samples = [...life(1, 0, 2 * MIN, () => 1), ...life(2, 2 * MIN + 5000, 4 * MIN + 5000, () => 1)];
    const cpu = cpuPercent(samples, 0);
    expect(cpu.mean).toBeCloseTo(10, 6);
    expect(cpu.max).toBeCloseTo(10, 6);
  });
});

describe("write → WebSocket latency per window", () => {
  test("p99 per window, an empty window counts 0 frames", () => {
    const samples = [
      ...Array.from({ length: 100 }, (_, i) => ({ at: i * 1000, ms: i + 1 })), // window 0: 1 … 100 ms
      ...Array.from({ length: 100 }, (_, i) => ({ at: 10 * MIN + i * 1000, ms: 1000 })),
    ];
    const windows = windowedLatency(samples, 15 * MIN, 5 * MIN);
    expect(windows.map((w) => [w.fromMs / MIN, w.toMs / MIN, w.count, w.p99, w.max])).toEqual([
      [0, 5, 100, 100, 100],
      [5, 10, 0, Number.NaN, Number.NaN],
      [10, 15, 100, 1000, 1000],
    ]);
    expect(windows[0]!.p50).toBe(51);
  });

  test("only an update's first frame counts, timed from the update's own timestamp", () => {
    const start = Date.parse("2026-12-02T12:00:00.000Z");
    const frame = (at: number, operation: string, updatedAt: string) => ({
      at: start + at,
      taskId: 7,
      operation,
      updatedAt,
      timestamp: new Date(start + 60_000).toISOString(),
    });
    const arrivals = [frame(60_020, "create", "a"), frame(61_000, "create", "a"), frame(60_050, "update", "b")];
    expect(firstFrameLatencies(arrivals, start)).toEqual([
      { at: 60_000, ms: 20 },
      { at: 60_000, ms: 50 },
    ]);
  });
});

describe("effects lost and duplicated", () => {
  test("found below expected is lost, above is duplicated, a check that timed out (-1) lost all", () => {
    expect(
      lostAndDuplicated({
        "period 1": { "audit rows, one per event": { expected: 10, found: 12 }, emails: { expected: 3, found: 3 } },
        "period 2": { "next occurrences": { expected: 4, found: -1 }, stored: { expected: 5, found: 4 } },
      }),
    ).toEqual({ lost: 5, duplicated: 2 });
  });
});

describe("the soak report", () => {
  test("an effect short at its period's check but there at the end is late, not lost; both counts are shown", () => {
    const dir = mkdtempSync(join(tmpdir(), "soak-report-"));
    try {
      const run: SoakRun = {
        date: "2026-12-02T1600",
        smoke: true,
        machine: {},
        versions: {},
        settings: {
          minutes: 10,
          faultEveryMinutes: 5,
          writesPerSecond: 20,
          rateSource: "SOAK_RATE",
          usersPerPeriod: 3,
          warmupMinutes: 2,
          sampleSeconds: 10,
          windowMinutes: 5,
          traceSamplingRate: 0.1,
        },
        writes: { attempted: 100, perSecond: 20, acknowledgedCreates: 90, refused: 0, pastReminders: 0 },
        faults: [
          {
            period: 1,
            scenario: "kill -9 each consumer in turn",
            injectedAtMin: 2.5,
            seconds: 12,
            delayedSeconds: 0,
            countsAtCheck: { "audit rows, one per event": { expected: 120, found: 80 } },
            counts: { "audit rows, one per event": { expected: 120, found: 120 } },
          },
        ],
        effects: { lost: 0, duplicated: 0, deadLettered: 0, checkErrors: 0, lateAtCheck: 40 },
        processes: {},
        latency: [],
        samples: {},
      };
      const { md } = writeSoakReport(dir, run);
      expect(md).toContain("0 lost, 0 duplicated");
      expect(md).toContain("40 effects had not arrived yet: late, not lost");
      expect(md).toContain("| audit rows, one per event | 120 | 80 | 120 |");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
