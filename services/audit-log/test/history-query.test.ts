// A history query's checks and cursors: pure logic, no infrastructure. The
// pages themselves are read from a real Postgres in history.quick.test.ts.
import { describe, expect, test } from "bun:test";
import { AppError, type HistoryQuery } from "@todo/shared";
import { decodeCursor, encodeCursor, trailQuery } from "../src/history/service.ts";

const cursor = (c: unknown) => Buffer.from(JSON.stringify(c)).toString("base64url");

/** The parameters a 422 names, or "valid". */
function verdict(q: Omit<HistoryQuery, "user_id">): string[] | "valid" {
  try {
    trailQuery({ user_id: "u1", ...q });
    return "valid";
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    expect(err.status).toBe(422);
    return Object.keys(err.fields ?? {}).sort();
  }
}

describe("a history query", () => {
  test.each([
    ["limit 0", { limit: 0 }, ["limit"]],
    ["limit 101", { limit: 101 }, ["limit"]],
    ["task id 0", { task_id: 0 }, ["task_id"]],
    ["a task id past 2^53, which Postgres would get rounded", { task_id: 3.2589158477190046e19 }, ["task_id"]],
    ["since not a date-time", { since: "yesterday" }, ["since"]],
    ["until without a time", { until: "2026-01-01" }, ["until"]],
    ["until without a zone", { until: "2026-01-01T10:00:00" }, ["until"]],
    ["a cursor that is no base64 JSON", { cursor: "nope" }, ["cursor"]],
    ["a cursor whose time is not a time", { cursor: cursor({ t: "x", i: 1 }) }, ["cursor"]],
    ["a cursor whose id is not a whole number", { cursor: cursor({ t: "2026-01-01T10:00:00Z", i: 1.5 }) }, ["cursor"]],
    [
      "every bad parameter at once",
      { limit: 0, since: "yesterday", until: "2026-01-01", cursor: "nope" },
      ["cursor", "limit", "since", "until"],
    ],
    ["limit 1", { limit: 1 }, "valid"],
    ["limit 100", { limit: 100 }, "valid"],
    ["a time with an offset", { since: "2026-01-01T12:00:00+02:00" }, "valid"],
  ])("%s", (_, q, expected) => {
    expect(verdict(q) as unknown).toEqual(expected);
  });

  test("becomes the trail's query: the caller's rows, times as instants, 50 a page by default", () => {
    const after = { t: "2026-01-01T10:00:00.000Z", i: 7 };
    expect(
      trailQuery({
        user_id: "u1",
        task_id: 3,
        since: "2026-01-01T12:00:00+02:00",
        until: "2026-01-02T00:00:00Z",
        cursor: encodeCursor(after),
      }),
    ).toEqual({
      userId: "u1",
      taskId: 3,
      since: new Date("2026-01-01T10:00:00Z"),
      until: new Date("2026-01-02T00:00:00Z"),
      after: { time: new Date(after.t), id: 7 },
      limit: 50,
    });
  });

  test("a cursor reads back as the position it was made from", () => {
    expect(decodeCursor(encodeCursor({ t: "2026-01-01T10:00:00.123Z", i: 42 }))).toEqual({
      time: new Date("2026-01-01T10:00:00.123Z"),
      id: 42,
    });
  });
});
