// The task API as a client sees it: todo-api in process over a real Postgres (the quick tier).
import { describe, expect, test } from "bun:test";
import { newUser, request } from "../../../test/support/api.ts";

describe("task lifecycle", () => {
  test("create, read, change, complete, reopen and delete a task", async () => {
    const alice = await newUser("alice");
    const created = await alice.call("POST", "/api/tasks", {
      title: "  Water the plants ",
      description: "balcony",
      priority: "high",
      tags: ["Home", "garden", "home"],
      due_at: "2030-05-01T10:00:00+02:00",
      remind_at: "2030-05-01T07:30:00Z",
      recurrence: { rule: "RRULE:freq=weekly;byday=mo,th", timezone: "Europe/Berlin" },
    });
    expect(created.status).toBe(201);
    const task = created.body;
    expect(task).toMatchObject({
      user_id: alice.id,
      title: "Water the plants",
      description: "balcony",
      priority: "high",
      tags: ["home", "garden"],
      completed: false,
      completed_at: null,
      due_at: "2030-05-01T08:00:00.000Z",
      remind_at: "2030-05-01T07:30:00.000Z",
      recurrence: { rule: "FREQ=WEEKLY;BYDAY=MO,TH", timezone: "Europe/Berlin" },
      occurrence: 1,
    });
    expect(Number.isInteger(task.id)).toBe(true);
    expect(task.series_id).toMatch(/^[0-9a-f-]{36}$/);

    expect((await alice.call("GET", `/api/tasks/${task.id}`)).body).toEqual(task);

    const patched = await alice.call("PATCH", `/api/tasks/${task.id}`, { priority: "low", remind_at: null });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      priority: "low",
      remind_at: null,
      title: "Water the plants",
      tags: ["home", "garden"],
    });

    const completed = await alice.call("POST", `/api/tasks/${task.id}/complete`);
    expect(completed.status).toBe(200);
    expect(completed.body.completed).toBe(true);
    expect(Date.parse(completed.body.completed_at)).toBeGreaterThan(Date.now() - 60_000);
    expect((await alice.call("POST", `/api/tasks/${task.id}/complete`)).status).toBe(409);

    const reopened = await alice.call("POST", `/api/tasks/${task.id}/reopen`);
    expect(reopened.body).toMatchObject({ completed: false, completed_at: null });
    expect((await alice.call("POST", `/api/tasks/${task.id}/reopen`)).status).toBe(409);

    expect((await alice.call("DELETE", `/api/tasks/${task.id}`)).status).toBe(204);
    expect((await alice.call("GET", `/api/tasks/${task.id}`)).status).toBe(404);
    expect((await alice.call("DELETE", `/api/tasks/${task.id}`)).status).toBe(404);
  });

  test("defaults: medium priority, no tags, open, no dates, no recurrence", async () => {
    const bob = await newUser("bob");
    const { status, body } = await bob.call("POST", "/api/tasks", { title: "Call mum" });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      priority: "medium",
      tags: [],
      description: "",
      due_at: null,
      remind_at: null,
      recurrence: null,
      series_id: null,
      occurrence: null,
    });
  });
});

describe("listing", () => {
  async function seed() {
    const user = await newUser("lister");
    const make = async (body: Record<string, unknown>) => (await user.call("POST", "/api/tasks", body)).body;
    const tasks = {
      milk: await make({
        title: "Buy milk",
        description: "oat milk from the corner shop",
        priority: "low",
        tags: ["shopping"],
        due_at: "2030-01-03T09:00:00Z",
      }),
      taxes: await make({
        title: "File taxes",
        description: "before the deadline",
        priority: "high",
        tags: ["admin", "money"],
        due_at: "2030-01-01T09:00:00Z",
      }),
      bike: await make({ title: "Repair bike", priority: "medium", tags: ["home"] }),
      rent: await make({ title: "pay rent", priority: "high", tags: ["money"], due_at: "2030-01-02T09:00:00Z" }),
    };
    await user.call("POST", `/api/tasks/${tasks.rent.id}/complete`);
    const ids = async (query: string) => {
      const res = await user.call("GET", `/api/tasks?${query}`);
      expect(res.status).toBe(200);
      return res.body.items.map((t: { id: number }) => t.id);
    };
    return { user, tasks, ids };
  }

  test("filters by status, priority, tags, text and due range", async () => {
    const { tasks: t, ids } = await seed();
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    expect(sorted(await ids(""))).toEqual(sorted([t.milk.id, t.taxes.id, t.bike.id, t.rent.id]));
    expect(sorted(await ids("status=open"))).toEqual(sorted([t.milk.id, t.taxes.id, t.bike.id]));
    expect(await ids("status=completed")).toEqual([t.rent.id]);
    expect(sorted(await ids("priority=high"))).toEqual(sorted([t.taxes.id, t.rent.id]));
    expect(sorted(await ids("tag=money"))).toEqual(sorted([t.taxes.id, t.rent.id]));
    expect(await ids("tag=money&tag=ADMIN")).toEqual([t.taxes.id]);
    expect(await ids("q=milk")).toEqual([t.milk.id]);
    expect(await ids("q=deadline")).toEqual([t.taxes.id]);
    expect(await ids("q=repairing")).toEqual([t.bike.id]); // English stemming
    expect(sorted(await ids("due_after=2030-01-02T09:00:00Z"))).toEqual(sorted([t.rent.id, t.milk.id]));
    expect(await ids("due_before=2030-01-02T09:00:00Z")).toEqual([t.taxes.id]);
  });

  test("sorts by each field in both directions, undated tasks last", async () => {
    const { tasks: t, ids } = await seed();
    expect(await ids("sort=due_at")).toEqual([t.taxes.id, t.rent.id, t.milk.id, t.bike.id]);
    expect(await ids("sort=due_at&order=desc")).toEqual([t.milk.id, t.rent.id, t.taxes.id, t.bike.id]);
    expect(await ids("sort=title")).toEqual([t.milk.id, t.taxes.id, t.rent.id, t.bike.id]);
    expect(await ids("sort=title&order=desc")).toEqual([t.bike.id, t.rent.id, t.taxes.id, t.milk.id]);
    expect(await ids("sort=priority&order=desc")).toEqual([t.rent.id, t.taxes.id, t.bike.id, t.milk.id]);
    expect(await ids("sort=priority&order=asc")).toEqual([t.milk.id, t.bike.id, t.taxes.id, t.rent.id]);
    expect(await ids("sort=created_at&order=asc")).toEqual([t.milk.id, t.taxes.id, t.bike.id, t.rent.id]);
    expect(await ids("sort=created_at")).toEqual([t.rent.id, t.bike.id, t.taxes.id, t.milk.id]);
  });

  for (const sort of ["created_at", "due_at", "title", "priority"]) {
    test(`paging by ${sort} neither skips nor repeats while tasks are being added`, async () => {
      const user = await newUser("pager");
      const priorities = ["low", "medium", "high"];
      const original: number[] = [];
      for (let i = 0; i < 23; i++) {
        const body = {
          title: `task ${String(i).padStart(2, "0")}`,
          priority: priorities[i % 3],
          due_at: i % 4 ? `2030-02-${String((i % 20) + 1).padStart(2, "0")}T10:00:00Z` : undefined,
        };
        original.push((await user.call("POST", "/api/tasks", body)).body.id);
      }
      const seen: number[] = [];
      let cursor: string | null = null;
      let extra = 0;
      do {
        const page: { status: number; body: { items: { id: number }[]; next_cursor: string | null } } = await user.call(
          "GET",
          `/api/tasks?sort=${sort}&limit=5${cursor ? `&cursor=${cursor}` : ""}`,
        );
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((t) => t.id));
        cursor = page.body.next_cursor;
        // Concurrent writers: new tasks sort anywhere in the list.
        await Promise.all(
          [0, 1].map(() =>
            user.call("POST", "/api/tasks", {
              title: `late ${extra++}`,
              priority: priorities[extra % 3],
              due_at: extra % 2 ? "2030-02-10T10:00:00Z" : undefined,
            }),
          ),
        );
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of original) expect(seen).toContain(id);
    });
  }

  test("paging by title returns each task once, in the database's order, whatever the letters", async () => {
    const user = await newUser("letters");
    // JavaScript's toLowerCase and Postgres's lower() disagree on several of these.
    const titles = [
      "İstanbul",
      "istanbul",
      "ǅemal",
      "Ω omega",
      "α alpha",
      "ß straße",
      "SS",
      "Éclair",
      "éclair",
      "ÿ",
      "Zebra",
      "apple",
      "Apple",
      "ΣΑΣ",
      "ä",
      "Ä",
      "𝔄 fraktur",
    ];
    const ids: number[] = [];
    for (const title of titles) ids.push((await user.call("POST", "/api/tasks", { title })).body.id);
    for (const order of ["asc", "desc"]) {
      const whole = await user.call("GET", `/api/tasks?sort=title&order=${order}&limit=100`);
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: { items: { id: number }[]; next_cursor: string | null } } = await user.call(
          "GET",
          `/api/tasks?sort=title&order=${order}&limit=1${cursor ? `&cursor=${cursor}` : ""}`,
        );
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((t) => t.id));
        cursor = page.body.next_cursor;
      } while (cursor && seen.length <= titles.length);
      expect({ order, seen }).toEqual({ order, seen: whole.body.items.map((t: { id: number }) => t.id) });
      expect([...seen].sort((a, b) => a - b)).toEqual(ids);
    }
  });

  test("limit is capped at 100 and a cursor from another sort is rejected", async () => {
    const user = await newUser("limits");
    expect((await user.call("GET", "/api/tasks?limit=101")).status).toBe(422);
    await user.call("POST", "/api/tasks", { title: "a" });
    await user.call("POST", "/api/tasks", { title: "b" });
    const first = await user.call("GET", "/api/tasks?limit=1&sort=title");
    expect(first.body.next_cursor).toBeString();
    const mixed = await user.call("GET", `/api/tasks?limit=1&sort=due_at&cursor=${first.body.next_cursor}`);
    expect(mixed.status).toBe(422);
    expect(mixed.body.error.fields).toHaveProperty("cursor");
  });
});

describe("isolation between users", () => {
  // The history route needs audit-log: its stranger case is in services/audit-log/test/audit.int.test.ts.
  test("another user's task is invisible on every task route", async () => {
    const owner = await newUser("owner");
    const stranger = await newUser("stranger");
    const { body: task } = await owner.call("POST", "/api/tasks", { title: "private", tags: ["secret"] });
    const probes: [string, string, unknown?][] = [
      ["GET", `/api/tasks/${task.id}`],
      ["PATCH", `/api/tasks/${task.id}`, { title: "mine now" }],
      ["POST", `/api/tasks/${task.id}/complete`],
      ["POST", `/api/tasks/${task.id}/reopen`],
      ["DELETE", `/api/tasks/${task.id}`],
    ];
    for (const [method, path, body] of probes) {
      const res = await stranger.call(method, path, body);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
      expect(res.body.error.code).toBe("not_found");
    }
    expect((await stranger.call("GET", "/api/tasks?tag=secret")).body.items).toEqual([]);
    expect((await owner.call("GET", `/api/tasks/${task.id}`)).body).toEqual(task);
  });
});

describe("authentication", () => {
  test("no token, a malformed token or a token signed with another key gets 401", async () => {
    const { signToken } = await import("@todo/shared");
    const forged = await signToken("not-the-real-secret-0123456789-abc", { sub: "mallory" });
    for (const headers of [
      {} as Record<string, string>,
      { authorization: "Bearer nonsense" },
      { authorization: `Bearer ${forged}` },
      { authorization: "Basic YTpi" },
    ]) {
      const res = await request("GET", "/api/tasks", undefined, headers);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    }
  });
});
