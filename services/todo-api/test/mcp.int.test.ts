// /mcp as an MCP client sees it: the official SDK's client over Streamable
// HTTP, against the running stack.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, describe, expect, test } from "bun:test";
import { APP_IDS, TOPICS } from "@todo/shared";
import { inSeconds, newUser, type TestUser } from "../../../test/support/api.ts";
import { appUrl, eventually, readTopic, sidecar } from "../../../test/support/stack.ts";

const clients: Client[] = [];
afterAll(() => Promise.all(clients.map((c) => c.close())));

async function connect(user: TestUser | null): Promise<Client> {
  const headers: Record<string, string> = user ? { authorization: `Bearer ${user.token}` } : {};
  const transport = new StreamableHTTPClientTransport(new URL(appUrl(APP_IDS.todoApi, "/mcp")), {
    requestInit: { headers },
  });
  const client = new Client({ name: "todo-test", version: "1.0.0" });
  await client.connect(transport);
  clients.push(client);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>) {
  const res = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = res.content[0]?.type === "text" ? res.content[0].text : "";
  return { isError: res.isError === true, body: JSON.parse(text), structured: res.structuredContent };
}

describe("MCP server", () => {
  test("lists the seven task tools with descriptions and object schemas", async () => {
    const client = await connect(await newUser("mcp"));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "add_task",
      "complete_task",
      "delete_task",
      "get_task",
      "list_tasks",
      "reopen_task",
      "update_task",
    ]);
    for (const tool of tools) {
      expect(tool.description!.length).toBeGreaterThan(20);
      expect(tool.inputSchema.type).toBe("object");
    }
    const add = tools.find((t) => t.name === "add_task")!;
    expect(add.inputSchema.required).toEqual(["title"]);
    expect(Object.keys(add.inputSchema.properties!)).toEqual(
      expect.arrayContaining(["title", "due_at", "remind_at", "priority", "tags", "recurrence"]),
    );
  });

  test("every tool works, through the same domain service as REST", async () => {
    const alice = await newUser("mcp-alice");
    const client = await connect(alice);

    const added = await call(client, "add_task", {
      title: "Renew passport",
      priority: "high",
      tags: ["Admin"],
      due_at: inSeconds(7200),
      remind_at: inSeconds(3600),
    });
    expect(added.isError).toBe(false);
    expect(added.body).toMatchObject({
      user_id: alice.id,
      title: "Renew passport",
      priority: "high",
      tags: ["admin"],
      completed: false,
    });
    expect(added.structured).toEqual(added.body);
    const id = added.body.id as number;
    // The same side effects as REST: the reminder job and the task event.
    await eventually("the reminder job", () =>
      sidecar(APP_IDS.todoApi)
        .getJob(`reminder-${id}`)
        .then((job) => job ?? undefined),
    );
    await readTopic(TOPICS.taskEvents, (records) =>
      records.some((r) => r.value.includes(`"task_id":${id}`) && r.value.includes('"created"')),
    );

    expect((await alice.call("GET", `/api/tasks/${id}`)).body).toEqual(added.body);
    expect((await call(client, "get_task", { id })).body).toEqual(added.body);

    const listed = await call(client, "list_tasks", { status: "open", tag: ["admin"] });
    expect(listed.body.items.map((t: { id: number }) => t.id)).toEqual([id]);

    const updated = await call(client, "update_task", { id, title: "Renew passport and ID", remind_at: null });
    expect(updated.body).toMatchObject({ id, title: "Renew passport and ID", remind_at: null, priority: "high" });

    expect((await call(client, "complete_task", { id })).body).toMatchObject({ id, completed: true });
    expect((await call(client, "reopen_task", { id })).body).toMatchObject({ id, completed: false });
    expect((await call(client, "delete_task", { id })).body).toEqual({ deleted: true, id });
    expect((await alice.call("GET", `/api/tasks/${id}`)).status).toBe(404);
  });

  test("bad input and conflicts come back as tool errors naming the problem, and change nothing", async () => {
    const client = await connect(await newUser("mcp-errors"));
    const bad = await call(client, "add_task", { title: "x", priority: "urgent", colour: "red" });
    expect(bad.isError).toBe(true);
    expect(bad.body.error.code).toBe("invalid");
    expect(Object.keys(bad.body.error.fields)).toEqual(expect.arrayContaining(["priority", "colour"]));
    expect((await call(client, "list_tasks", {})).body.items).toEqual([]);

    const late = await call(client, "add_task", {
      title: "x",
      due_at: "2030-01-01T09:00:00Z",
      remind_at: "2030-01-01T10:00:00Z",
    });
    expect(late.body.error.fields).toEqual({ remind_at: "must not be after due_at" });

    const { body: task } = await call(client, "add_task", { title: "once" });
    await call(client, "complete_task", { id: task.id });
    const again = await call(client, "complete_task", { id: task.id });
    expect(again).toMatchObject({ isError: true, body: { error: { code: "conflict" } } });
  });

  test("each user sees and changes only their own tasks", async () => {
    const [alice, bob] = [await newUser("mcp-a"), await newUser("mcp-b")];
    const [a, b] = [await connect(alice), await connect(bob)];
    const { body: task } = await call(a, "add_task", { title: "Alice's secret" });

    expect((await call(b, "list_tasks", {})).body.items).toEqual([]);
    for (const [name, args] of [
      ["get_task", { id: task.id }],
      ["update_task", { id: task.id, title: "mine now" }],
      ["complete_task", { id: task.id }],
      ["reopen_task", { id: task.id }],
      ["delete_task", { id: task.id }],
    ] as const) {
      expect(await call(b, name, args)).toMatchObject({ isError: true, body: { error: { code: "not_found" } } });
    }
    expect((await alice.call("GET", `/api/tasks/${task.id}`)).body).toEqual(task);
  });

  test("refuses a client without a valid bearer token", async () => {
    await expect(connect(null)).rejects.toThrow(/unauthorized/);
    const res = await fetch(appUrl(APP_IDS.todoApi, "/mcp"), {
      method: "POST",
      headers: { authorization: "Bearer nope", "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  });
});
