// The chat with a model: any OpenAI-compatible /chat/completions endpoint,
// tool calling over the same tools as MCP, at most `maxSteps` model calls
// per message. When the endpoint fails before any tool ran, the caller falls
// back to the parser; once a tool ran, falling back could repeat it, so the
// turn ends with what was done.
import type { Logger } from "@todo/shared";
import type { TaskService } from "../tasks/service.ts";
import { runTool, TOOLS } from "../tools/catalog.ts";
import type { Action, Message } from "./model.ts";
import { replyFor } from "./replies.ts";
import type { Turn } from "./rules.ts";

export interface ModelSettings {
  /** e.g. https://api.openai.com/v1 */
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
  maxSteps: number;
  timeoutMs: number;
}

export class ModelUnavailable extends Error {
  override name = "ModelUnavailable";
}

interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

interface ModelMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string | null;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
}

const HISTORY = 20;

// JSON round trip: TypeBox's symbol keys are no part of JSON Schema.
const TOOL_SPECS = JSON.parse(
  JSON.stringify(
    TOOLS.map((x) => ({
      type: "function",
      function: { name: x.name, description: x.description, parameters: x.inputSchema },
    })),
  ),
);

function systemPrompt(now: Date, timezone: string): string {
  return [
    "You manage the user's to-do list with the tools given. Act on the user's request with as few tool calls as needed.",
    "Find a task named by title with list_tasks (q) before changing it; if several match, ask which one instead of guessing.",
    `It is now ${now.toISOString()}. The user's time zone is ${timezone}: read the user's dates and times there, and pass them to tools as ISO 8601 with the right offset.`,
    "Reply briefly in plain text, saying what you did.",
  ].join("\n");
}

export async function answerWithModel(
  settings: ModelSettings,
  deps: { service: TaskService; log: Logger },
  userId: string,
  history: Message[],
  message: string,
  clock: { now: Date; timezone: string },
): Promise<Turn> {
  const messages: ModelMessage[] = [
    { role: "system", content: systemPrompt(clock.now, clock.timezone) },
    ...history.slice(-HISTORY).map((m): ModelMessage => ({ role: m.role, content: m.content })),
    { role: "user", content: message },
  ];
  const actions: Action[] = [];
  for (let step = 1; step <= settings.maxSteps; step++) {
    let reply: ModelMessage;
    try {
      reply = await complete(settings, messages);
    } catch (err) {
      if (actions.length === 0) throw new ModelUnavailable(err instanceof Error ? err.message : String(err));
      deps.log.warn("model endpoint failed mid-turn; ending the turn with what was done", {
        user_id: userId,
        error: err,
      });
      return { reply: summary(actions, clock.timezone, "The assistant stopped early."), actions };
    }
    messages.push(reply);
    if (!reply.tool_calls?.length)
      return { reply: reply.content?.trim() || summary(actions, clock.timezone, "Done."), actions };
    for (const call of reply.tool_calls) {
      let args: Record<string, unknown> = {};
      let outcome: Awaited<ReturnType<typeof runTool>>;
      try {
        args = call.function.arguments ? JSON.parse(call.function.arguments) : {};
        outcome = await runTool(deps.service, userId, call.function.name, args);
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
        outcome = { ok: false as const, error: { code: "invalid", message: "arguments are not valid JSON" } };
      }
      actions.push({
        tool: call.function.name,
        arguments: args,
        result: outcome.ok ? outcome.result : { error: outcome.error },
      });
      messages.push({
        role: "tool",
        tool_call_id: call.id,
        content: JSON.stringify(outcome.ok ? outcome.result : { error: outcome.error }),
      });
    }
  }
  return { reply: summary(actions, clock.timezone, `I stopped after ${settings.maxSteps} steps.`), actions };
}

function summary(actions: Action[], timezone: string, lead: string): string {
  const lines = actions.map((a) => {
    const result = a.result as { error?: { code: string; message: string } };
    return replyFor(
      a.tool,
      result && typeof result === "object" && "error" in result
        ? { ok: false, error: result.error! }
        : { ok: true, result: a.result },
      timezone,
    );
  });
  return [lead, ...lines].join("\n");
}

async function complete(settings: ModelSettings, messages: ModelMessage[]): Promise<ModelMessage> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
  const res = await fetch(`${settings.baseUrl.replace(/\/+$/, "")}/chat/completions`, {
    method: "POST",
    headers,
    body: JSON.stringify({ model: settings.model, messages, tools: TOOL_SPECS, tool_choice: "auto" }),
    signal: AbortSignal.timeout(settings.timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`model endpoint answered ${res.status}: ${text.slice(0, 200)}`);
  const message = (JSON.parse(text) as { choices?: { message?: ModelMessage }[] }).choices?.[0]?.message;
  if (!message || (typeof message.content !== "string" && !message.tool_calls))
    throw new Error("model endpoint answered without a message");
  return {
    role: "assistant",
    content: message.content ?? null,
    ...(message.tool_calls?.length ? { tool_calls: message.tool_calls } : {}),
  };
}
