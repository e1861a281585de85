// POST /api/chat and GET /api/chat/:conversation_id, for the caller only.
import { Elysia } from "elysia";
import { ErrorBody, type RateLimiter, type TokenVerifier } from "@todo/shared";
import { authentication } from "../auth/plugin.ts";
import type { UserDirectory } from "../auth/users.ts";
import { ChatReply, chatRequestBody, Conversation, ConversationParams } from "./model.ts";
import type { ChatService } from "./service.ts";

const errors = { 401: ErrorBody, 404: ErrorBody, 422: ErrorBody };
const tags = ["chat"];

export function chatRoutes(chat: ChatService, verify: TokenVerifier, users: UserDirectory, limiter?: RateLimiter) {
  return new Elysia({ prefix: "/api/chat" })
    .use(authentication(verify, users, limiter))
    .post("", ({ user, body }) => chat.send(user.userId, body), {
      body: chatRequestBody,
      response: { 200: ChatReply, ...errors },
      detail: {
        tags,
        summary: "Say something about your tasks",
        description:
          "Runs the task tools the message asks for and keeps the conversation. Dates are read in `timezone` (IANA; default the conversation's, else UTC).",
      },
    })
    .get("/:conversation_id", ({ user, params }) => chat.get(user.userId, params.conversation_id), {
      params: ConversationParams,
      response: { 200: Conversation, ...errors },
      detail: { tags, summary: "A conversation's messages and the actions taken, oldest first" },
    });
}
