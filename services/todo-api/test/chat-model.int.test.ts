// The chat with a model. A small OpenAI-compatible server started here, on
// the port the launcher points todo-api's LLM_BASE_URL at, answers with
// scripted tool calls: a stand-in for a paid external API, nothing of ours.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { newUser } from "../../../test/support/api.ts";
import { stack } from "../../../test/support/stack.ts";

interface SeenRequest {
  authorization: string | null;
  body: {
    model: string;
    messages: { role: string; content: string | null; tool_call_id?: string }[];
    tools: { function: { name: string } }[];
  };
}

type Script = (req: SeenRequest["body"], step: number) => Response | object;
let script: Script = () => new Response("no script", { status: 500 });
let seen: SeenRequest[] = [];
let server: ReturnType<typeof Bun.serve>;

beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: stack().ports.llm,
    async fetch(req) {
      if (new URL(req.url).pathname !== "/v1/chat/completions") return new Response("not found", { status: 404 });
      const body = (await req.json()) as SeenRequest["body"];
      seen.push({ authorization: req.headers.get("authorization"), body });
      const out = script(body, seen.length);
      return out instanceof Response ? out : Response.json(out);
    },
  });
});
afterAll(() => server.stop(true));

const toolCall = (id: string, name: string, args: object) => ({
  choices: [
    {
      index: 0,
      finish_reason: "tool_calls",
      message: {
        role: "assistant",
        content: null,
        tool_calls: [{ id, type: "function", function: { name, arguments: JSON.stringify(args) } }],
      },
    },
  ],
});
const say = (content: string) => ({
  choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content } }],
});

describe("chat with a model", () => {
  test("runs the model's tool calls, feeds the results back, and stores the reply", async () => {
    seen = [];
    script = (_body, step) =>
      step === 1
        ? toolCall("call_1", "list_tasks", { q: "passport" })
        : step === 2
          ? toolCall("call_2", "add_task", {
              title: "Renew passport",
              due_at: "2030-01-15T09:00:00+01:00",
              priority: "high",
            })
          : say("Added “Renew passport” for 15 January.");
    const alice = await newUser("model");
    const res = await alice.call("POST", "/api/chat", {
      message: "I must renew my passport by mid January 2030, it's important",
      timezone: "Europe/Paris",
    });
    expect(res.status).toBe(200);
    expect(res.body.reply).toBe("Added “Renew passport” for 15 January.");
    expect(res.body.actions).toMatchObject([
      { tool: "list_tasks", arguments: { q: "passport" }, result: { items: [] } },
      {
        tool: "add_task",
        arguments: { title: "Renew passport" },
        result: { title: "Renew passport", due_at: "2030-01-15T08:00:00.000Z", priority: "high", user_id: alice.id },
      },
    ]);
    const taskId = res.body.actions[1].result.id;
    expect((await alice.call("GET", `/api/tasks/${taskId}`)).body).toEqual(res.body.actions[1].result);

    // What the model was sent: every tool, the user's zone, and each tool's result under its call id.
    expect(seen).toHaveLength(3);
    expect(seen[0]!.body.model).toBe("gpt-4o-mini");
    expect(seen[0]!.body.tools.map((t) => t.function.name)).toHaveLength(7);
    expect(seen[0]!.body.messages[0]!.content).toContain("Europe/Paris");
    expect(seen[0]!.authorization).toBeNull(); // the local secret store's llm-api-key is empty
    const fed = seen[2]!.body.messages.find((m) => m.tool_call_id === "call_2");
    expect(JSON.parse(fed!.content!)).toMatchObject({ id: taskId, title: "Renew passport" });

    const stored = (await alice.call("GET", `/api/chat/${res.body.conversation_id}`)).body;
    expect(stored.messages).toHaveLength(2);
    expect(stored.messages[1]).toMatchObject({ role: "assistant", content: res.body.reply, actions: res.body.actions });

    // The next turn sends the conversation so far.
    script = () => say("You have one task.");
    await alice.call("POST", "/api/chat", {
      conversation_id: res.body.conversation_id,
      message: "how many tasks do I have?",
    });
    expect(seen[3]!.body.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
  });

  test("stops after a bounded number of model steps", async () => {
    seen = [];
    script = (_body, step) => toolCall(`call_${step}`, "list_tasks", {});
    const bob = await newUser("model-loop");
    const res = await bob.call("POST", "/api/chat", { message: "keep looking" });
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(5);
    expect(res.body.actions).toHaveLength(5);
    expect(res.body.reply).toStartWith("I stopped after 5 steps.");
  });

  test("a tool error goes back to the model, which can correct itself", async () => {
    seen = [];
    script = (_body, step) =>
      step === 1
        ? toolCall("c1", "add_task", { title: "Plan trip", priority: "urgent" })
        : step === 2
          ? toolCall("c2", "add_task", { title: "Plan trip", priority: "high" })
          : say("Done.");
    const carol = await newUser("model-retry");
    const res = await carol.call("POST", "/api/chat", { message: "plan trip, urgent" });
    expect(res.body.actions[0].result.error).toMatchObject({
      code: "invalid",
      fields: { priority: expect.any(String) },
    });
    expect(res.body.actions[1].result).toMatchObject({ title: "Plan trip", priority: "high" });
    expect((await carol.call("GET", "/api/tasks")).body.items).toHaveLength(1);
  });

  test("falls back to the parser when the endpoint fails", async () => {
    seen = [];
    script = () => new Response("overloaded", { status: 503 });
    const dave = await newUser("model-down");
    const res = await dave.call("POST", "/api/chat", { message: "add call the plumber tomorrow at 8am" });
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(res.body.actions).toMatchObject([{ tool: "add_task", result: { title: "Call the plumber" } }]);
    expect((await dave.call("GET", "/api/tasks")).body.items).toHaveLength(1);
  });
});
