// One chat turn: load the conversation, answer with the model when one is
// configured (else, or when it fails, with the parser), then append the
// user's message and the answer to the conversation.
import { randomUUID } from "node:crypto";
import { notFound, type Logger } from "@todo/shared";
import type { TaskService } from "../tasks/service.ts";
import type { ConversationStore } from "./conversations.ts";
import { answerWithModel, ModelUnavailable, type ModelSettings } from "./llm.ts";
import type { ChatReply, ChatRequest, Conversation, Message } from "./model.ts";
import { answerWithRules, type Turn } from "./rules.ts";

export interface ChatDeps {
  tasks: TaskService;
  store: ConversationStore;
  log: Logger;
  /** Unset: the parser answers every message. */
  model?: ModelSettings | undefined;
  now?: () => Date;
}

export class ChatService {
  constructor(private readonly deps: ChatDeps) {}

  async get(userId: string, conversationId: string): Promise<Conversation> {
    const found = /^[0-9a-f-]{36}$/i.test(conversationId) ? await this.deps.store.get(userId, conversationId) : null;
    if (!found) throw notFound("Conversation not found");
    return found;
  }

  async send(userId: string, request: ChatRequest): Promise<ChatReply> {
    const existing = request.conversation_id ? await this.get(userId, request.conversation_id) : null;
    const id = existing?.conversation_id ?? randomUUID();
    const clock = { now: this.deps.now?.() ?? new Date(), timezone: request.timezone ?? existing?.timezone ?? "UTC" };
    const userMessage: Message = { role: "user", content: request.message, at: clock.now.toISOString() };

    const turn = await this.answer(userId, existing?.messages ?? [], request.message, clock);
    const answer: Message = {
      role: "assistant",
      content: turn.reply,
      at: new Date().toISOString(),
      actions: turn.actions,
    };
    const saved = await this.deps.store.append(userId, id, [userMessage, answer], {
      create: !existing,
      timezone: clock.timezone,
    });
    if (!saved) throw notFound("Conversation not found");
    return { conversation_id: id, reply: turn.reply, actions: turn.actions };
  }

  private async answer(
    userId: string,
    history: Message[],
    message: string,
    clock: { now: Date; timezone: string },
  ): Promise<Turn> {
    const { model, tasks, log } = this.deps;
    if (model) {
      try {
        return await answerWithModel(model, { service: tasks, log }, userId, history, message, clock);
      } catch (err) {
        if (!(err instanceof ModelUnavailable)) throw err;
        log.info("model endpoint unavailable; the parser answers", { user_id: userId, error: err.message });
      }
    }
    return answerWithRules(tasks, userId, message, clock);
  }
}
