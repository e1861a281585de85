// The methods other services reach through Dapr service invocation, and the
// routes that proxy to other services.
import { describe, expect, test } from "bun:test";
import { APP_IDS, TOPICS } from "@todo/shared";
import { randomUUID } from "node:crypto";
import { newUser, request } from "../../../test/support/api.ts";
import { readTopic, sidecar } from "../../../test/support/stack.ts";

describe("internal methods", () => {
  test("notification can look up a user's contact through Dapr; the public cannot", async () => {
    const user = await newUser("contact");
    await user.call("GET", "/api/tasks"); // any authenticated request records the contact
    const res = await sidecar(APP_IDS.notification).invoke(APP_IDS.todoApi, `internal/users/${user.id}/contact`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user_id: user.id, email: user.email, name: "contact" });
    expect((await request("GET", `/internal/users/${user.id}/contact`)).status).toBe(404);
    const unknown = await sidecar(APP_IDS.notification).invoke(APP_IDS.todoApi, "internal/users/nobody-at-all/contact");
    expect(unknown.status).toBe(404);
  });

  test("creating an occurrence twice returns the same task and emits its events once", async () => {
    const user = await newUser("series");
    const seriesId = randomUUID();
    const body = {
      user_id: user.id,
      series_id: seriesId,
      occurrence: 2,
      title: "daily standup",
      recurrence: { rule: "FREQ=DAILY", timezone: "UTC" },
    };
    const invoke = () =>
      sidecar(APP_IDS.recurring).invoke(APP_IDS.todoApi, "internal/occurrences", { method: "POST", body });
    const first = await invoke();
    const second = await invoke();
    expect([first.status, second.status]).toEqual([201, 200]);
    const [a, b] = [(await first.json()) as any, (await second.json()) as any];
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.task).toEqual(a.task);
    expect(a.task).toMatchObject({ series_id: seriesId, occurrence: 2, user_id: user.id });
    const records = await readTopic(TOPICS.taskEvents, (rs) => rs.some((r) => r.key === user.id));
    expect(records.filter((r) => r.key === user.id)).toHaveLength(1);
    expect((await request("POST", "/internal/occurrences", body)).status).toBe(404);
  });
});

describe("history and notifications", () => {
  test("a task's history and the notification feed come through service invocation", async () => {
    const user = await newUser("historian");
    const { body: task } = await user.call("POST", "/api/tasks", { title: "remember me" });
    const history = await user.call("GET", `/api/tasks/${task.id}/history`);
    expect(history.status).toBe(200);
    expect(history.body).toHaveProperty("items");
    const feed = await user.call("GET", "/api/notifications");
    expect(feed.status).toBe(200);
    expect(feed.body).toHaveProperty("items");
  });
});

describe("OpenAPI", () => {
  test("/openapi documents the task routes with their schemas", async () => {
    const res = await request("GET", "/openapi");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(["/api/tasks", "/api/tasks/{id}", "/api/tasks/{id}/complete", "/healthz", "/readyz"]),
    );
    expect(Object.keys(res.body.paths)).not.toContain("/internal/occurrences");
  });
});
