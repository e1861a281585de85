// The next occurrence of a series: strictly after the completed one, never in
// the past, at the same local time in the rule's zone, and never past COUNT
// or UNTIL.
import { describe, expect, test } from "bun:test";
import { nextOccurrence } from "../src/occurrences/next.ts";
import { fromWallClock, toWallClock } from "../src/occurrences/wall-clock.ts";

const LONG_AGO = new Date("2020-01-01T00:00:00Z");
const next = (rule: string, anchor: string, o: { zone?: string; occurrence?: number; now?: Date } = {}) =>
  nextOccurrence({
    rule,
    timezone: o.zone ?? "Europe/Berlin",
    anchor: new Date(anchor),
    occurrence: o.occurrence ?? 1,
    now: o.now ?? LONG_AGO,
  })?.toISOString() ?? null;
const berlinTime = (iso: string) =>
  new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Berlin",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(iso));

describe("a daily 09:00 Europe/Berlin task", () => {
  test("stays at 09:00 local when clocks go forward in late March", () => {
    // 2027-03-28 is the spring-forward Sunday: 09:00 CET is 08:00Z, 09:00 CEST is 07:00Z.
    expect(next("FREQ=DAILY", "2027-03-27T08:00:00Z")).toBe("2027-03-28T07:00:00.000Z");
    expect(next("FREQ=DAILY", "2027-03-28T07:00:00Z")).toBe("2027-03-29T07:00:00.000Z");
  });

  test("stays at 09:00 local when clocks go back in late October", () => {
    // 2026-10-25 is the fall-back Sunday.
    expect(next("FREQ=DAILY", "2026-10-24T07:00:00Z")).toBe("2026-10-25T08:00:00.000Z");
    expect(next("FREQ=DAILY", "2026-10-25T08:00:00Z")).toBe("2026-10-26T08:00:00.000Z");
  });

  test("is 09:00 local every day of a whole year", () => {
    let due = "2026-01-01T08:00:00.000Z";
    for (let i = 0; i < 365; i++) {
      const following = next("FREQ=DAILY", due)!;
      expect(berlinTime(following)).toBe("09:00");
      expect(new Date(following).getTime() - new Date(due).getTime()).toBeOneOf([23, 24, 25].map((h) => h * 3600_000));
      due = following;
    }
  });
});

describe("times that clocks skip or repeat", () => {
  test("02:30 on the spring-forward night becomes 03:30 local", () => {
    // Daily at 02:30 Berlin: on 2027-03-28 that time does not exist.
    expect(next("FREQ=DAILY", "2027-03-27T01:30:00Z")).toBe("2027-03-28T01:30:00.000Z");
    expect(berlinTime("2027-03-28T01:30:00.000Z")).toBe("03:30");
  });

  test("a daily 02:30 series is back at 02:30 the day after the spring-forward night", () => {
    // Each occurrence is computed from the completed one and the series' start,
    // as recurring does when occurrences are completed one after another.
    const seriesStart = new Date("2027-03-25T01:30:00Z"); // 02:30 CET
    const times: string[] = [];
    let due = seriesStart.toISOString();
    for (let i = 0; i < 7; i++) {
      due = nextOccurrence({
        rule: "FREQ=DAILY",
        timezone: "Europe/Berlin",
        anchor: new Date(due),
        seriesStart,
        occurrence: i + 1,
        now: LONG_AGO,
      })!.toISOString();
      times.push(`${due.slice(0, 10)} ${berlinTime(due)}`);
    }
    expect(times).toEqual([
      "2027-03-26 02:30",
      "2027-03-27 02:30",
      "2027-03-28 03:30",
      "2027-03-29 02:30",
      "2027-03-30 02:30",
      "2027-03-31 02:30",
      "2027-04-01 02:30",
    ]);
  });

  test("a late completion after the gap comes back to the series' local time", () => {
    const seriesStart = new Date("2027-03-25T01:30:00Z");
    const now = new Date("2027-03-30T12:00:00Z");
    const due = nextOccurrence({
      rule: "FREQ=DAILY",
      timezone: "Europe/Berlin",
      anchor: new Date("2027-03-28T01:30:00Z"),
      seriesStart,
      occurrence: 4,
      now,
    });
    expect(due?.toISOString()).toBe("2027-03-31T00:30:00.000Z");
  });

  test("a weekly series keeps its start's weekday and time, whatever the completed occurrence's time", () => {
    // Started Sunday 2027-03-21 02:30 CET; the 03-28 occurrence was 03:30 CEST.
    const due = nextOccurrence({
      rule: "FREQ=WEEKLY",
      timezone: "Europe/Berlin",
      anchor: new Date("2027-03-28T01:30:00Z"),
      seriesStart: new Date("2027-03-21T01:30:00Z"),
      occurrence: 2,
      now: LONG_AGO,
    });
    expect(due?.toISOString()).toBe("2027-04-04T00:30:00.000Z");
  });

  test("02:30 on the fall-back night is its first occurrence", () => {
    expect(next("FREQ=DAILY", "2026-10-24T00:30:00Z")).toBe("2026-10-25T00:30:00.000Z");
  });

  test("wall clock conversions round-trip in zones east and west of UTC", () => {
    for (const zone of ["America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC"]) {
      for (const iso of ["2026-01-15T12:34:56.000Z", "2026-07-15T03:00:00.000Z"]) {
        expect(fromWallClock(toWallClock(new Date(iso), zone), zone).toISOString()).toBe(iso);
      }
    }
  });

  test("a New York weekly task keeps its local time across the US change", () => {
    // US clocks go back on 2026-11-01: Monday 18:00 EDT (22:00Z) -> Monday 18:00 EST (23:00Z).
    expect(next("FREQ=WEEKLY", "2026-10-26T22:00:00Z", { zone: "America/New_York" })).toBe("2026-11-02T23:00:00.000Z");
  });
});

describe("strictly after the completed occurrence, never in the past", () => {
  test("the next one follows the completed occurrence's due time", () => {
    expect(next("FREQ=WEEKLY;BYDAY=MO,WE", "2026-11-30T08:00:00Z")).toBe("2026-12-02T08:00:00.000Z");
    expect(next("FREQ=MONTHLY", "2026-01-15T08:00:00Z")).toBe("2026-02-15T08:00:00.000Z");
    expect(next("FREQ=DAILY;INTERVAL=3", "2026-01-15T08:00:00Z")).toBe("2026-01-18T08:00:00.000Z");
  });

  test("completing late skips to the first occurrence after now, with no backlog", () => {
    const now = new Date("2026-11-27T14:30:00Z");
    expect(next("FREQ=DAILY", "2026-11-20T08:00:00Z", { now })).toBe("2026-11-28T08:00:00.000Z");
    expect(next("FREQ=DAILY", "2026-11-26T08:00:00Z", { now: new Date("2026-11-27T07:59:00Z") })).toBe(
      "2026-11-27T08:00:00.000Z",
    );
  });

  test("an occurrence due exactly now is already past", () => {
    expect(next("FREQ=DAILY", "2026-11-26T08:00:00Z", { now: new Date("2026-11-27T08:00:00Z") })).toBe(
      "2026-11-28T08:00:00.000Z",
    );
  });
});

describe("the end of a series", () => {
  test("COUNT counts the tasks of the series", () => {
    expect(next("FREQ=DAILY;COUNT=2", "2026-11-30T08:00:00Z", { occurrence: 1 })).toBe("2026-12-01T08:00:00.000Z");
    expect(next("FREQ=DAILY;COUNT=2", "2026-12-01T08:00:00Z", { occurrence: 2 })).toBeNull();
    expect(next("FREQ=DAILY;COUNT=1", "2026-11-30T08:00:00Z", { occurrence: 1 })).toBeNull();
  });

  test("a date-only UNTIL includes that whole local day", () => {
    expect(next("FREQ=DAILY;UNTIL=20261201", "2026-11-30T08:00:00Z")).toBe("2026-12-01T08:00:00.000Z");
    expect(next("FREQ=DAILY;UNTIL=20261201", "2026-12-01T08:00:00Z")).toBeNull();
  });

  test("a UTC UNTIL is an instant", () => {
    expect(next("FREQ=DAILY;UNTIL=20261201T075959Z", "2026-11-30T08:00:00Z")).toBeNull();
    expect(next("FREQ=DAILY;UNTIL=20261201T080000Z", "2026-11-30T08:00:00Z")).toBe("2026-12-01T08:00:00.000Z");
  });

  test("a series whose UNTIL passed while the task was overdue ends", () => {
    expect(
      next("FREQ=DAILY;UNTIL=20261201", "2026-11-30T08:00:00Z", { now: new Date("2026-12-05T00:00:00Z") }),
    ).toBeNull();
  });
});
