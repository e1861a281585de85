// Each request kind's front door answers exactly what its one validator
// (src/tasks/validate.ts, src/chat/model.ts) says: the same 422 and fields,
// including rules no schema states, and nothing changes. todo-api in process
// over a real Postgres (the quick tier); the rules themselves are
// task-validation.test.ts's.
import { describe, expect, test } from "bun:test";
import { AppError } from "@todo/shared";
import { newUser, type TestUser } from "../../../test/support/api.ts";
import { validateChatRequest } from "../src/chat/model.ts";
import { validateOccurrence, validateTaskCreate, validateTaskPatch } from "../src/tasks/validate.ts";

/** The fields the validator names for this input (it must refuse it). */
function refused(validate: () => unknown): Record<string, string> {
  try {
    validate();
  } catch (err) {
    if (err instanceof AppError && err.fields) return err.fields;
    throw err;
  }
  throw new Error("the validator accepted the input");
}

// A schema-valid body that breaks two rules only the validator knows.
const BAD_TASK = { title: "  ", recurrence: { rule: "FREQ=HOURLY", timezone: "UTC" } };

async function expectRefused(res: { status: number; body: any }, fields: Record<string, string>) {
  expect(res.status).toBe(422);
  expect(res.body.error.code).toBe("invalid");
  expect(res.body.error.fields).toEqual(fields);
}

const listTasks = async (user: TestUser) => (await user.call("GET", "/api/tasks")).body.items;

describe("every front door runs the one validator", () => {
  test("POST /api/tasks", async () => {
    const user = await newUser("v-create");
    await expectRefused(
      await user.call("POST", "/api/tasks", BAD_TASK),
      refused(() => validateTaskCreate(BAD_TASK)),
    );
    // The shape too: the route's answer is the validator's, word for word, not a second check's.
    const misshapen = { title: 5, colour: "red" };
    await expectRefused(
      await user.call("POST", "/api/tasks", misshapen),
      refused(() => validateTaskCreate(misshapen)),
    );
    expect(await listTasks(user)).toEqual([]);
  });

  test("PATCH /api/tasks/:id, including the rule that needs the stored task", async () => {
    const user = await newUser("v-patch");
    const { body: task } = await user.call("POST", "/api/tasks", { title: "keep me", due_at: "2030-03-01T10:00:00Z" });
    const both = { due_at: "2030-03-01T10:00:00Z", remind_at: "2030-03-01T11:00:00Z", title: " " };
    await expectRefused(
      await user.call("PATCH", `/api/tasks/${task.id}`, both),
      refused(() => validateTaskPatch(both)),
    );
    await expectRefused(await user.call("PATCH", `/api/tasks/${task.id}`, { remind_at: "2030-03-02T10:00:00Z" }), {
      remind_at: "must not be after due_at",
    });
    expect((await user.call("GET", `/api/tasks/${task.id}`)).body).toEqual(task);
  });

  test("POST /internal/occurrences", async () => {
    const user = await newUser("v-occurrence");
    const body = {
      ...BAD_TASK,
      user_id: user.id,
      series_id: "6f1c2a4e-8d0b-4c39-9b8e-2f3a5c7d9e01",
      occurrence: 2,
    };
    // The quick tier's todo-api has no app token configured, so the Dapr-only route is open to the test.
    await expectRefused(
      await user.call("POST", "/internal/occurrences", body),
      refused(() => validateOccurrence(body)),
    );
    expect(await listTasks(user)).toEqual([]);
  });

  test("the add_task and update_task tools over /mcp", async () => {
    const user = await newUser("v-mcp");
    const { body: task } = await user.call("POST", "/api/tasks", { title: "keep me" });
    const callTool = async (name: string, args: Record<string, unknown>) => {
      const res = await user.call(
        "POST",
        "/mcp",
        { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args } },
        { accept: "application/json, text/event-stream" },
      );
      expect(res.status).toBe(200);
      expect(res.body.result.isError).toBe(true);
      return res.body.result.structuredContent.error;
    };
    expect(await callTool("add_task", BAD_TASK)).toMatchObject({
      code: "invalid",
      fields: refused(() => validateTaskCreate(BAD_TASK)),
    });
    expect(await callTool("update_task", { id: task.id, ...BAD_TASK })).toMatchObject({
      code: "invalid",
      fields: refused(() => validateTaskPatch(BAD_TASK)),
    });
    expect(await listTasks(user)).toEqual([task]);
  });

  test("POST /api/chat", async () => {
    const user = await newUser("v-chat");
    const body = { message: "add buy milk", timezone: "Mars/Olympus" };
    await expectRefused(
      await user.call("POST", "/api/chat", body),
      refused(() => validateChatRequest(body)),
    );
    expect(await listTasks(user)).toEqual([]);
  });
});
