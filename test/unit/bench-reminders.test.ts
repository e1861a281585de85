// R3's arithmetic (bench/reminders.ts): the schedule, and how lateness,
// early firings and repeats are counted from what arrived.
import { describe, expect, test } from "bun:test";
import { precision, reminderSchedule } from "../../bench/reminders.ts";

describe("R3 reminder precision", () => {
  test("a spread schedule starts on a whole second and covers 60 s; a burst fits in one second", () => {
    const spread = reminderSchedule("spread", 1000, 1_000_000_250, 20);
    expect(spread[0]).toBe(1_000_021_000);
    expect(spread[1]! - spread[0]!).toBe(60);
    expect(spread.at(-1)! - spread[0]!).toBe(59_940);
    const burst = reminderSchedule("burst", 1000, 1_000_000_250, 20);
    expect(burst.at(-1)! - burst[0]!).toBe(999);
  });

  test("the first arrival sets the lateness, later ones are repeats, and one before its target is early", () => {
    const targets = [1000, 2000, 3000, 4000];
    const arrivals = new Map([
      [0, [1010]],
      [1, [2050, 2003]], // redelivered: the earlier one counts
      [2, [2999]], // a millisecond early
    ]);
    expect(precision(arrivals, targets)).toEqual({
      delivered: 3,
      repeats: 1,
      early: 1,
      min: -1,
      p50: 3,
      p99: 10,
      max: 10,
    });
  });

  test("nothing arrived: no figures, not zeros", () => {
    const s = precision(new Map(), [1000]);
    expect(s.delivered).toBe(0);
    expect(s.p50).toBeNaN();
    expect(s.max).toBeNaN();
  });
});
