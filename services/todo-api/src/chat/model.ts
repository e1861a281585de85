// Shapes of the chat API and of a stored conversation, and the one check of a chat request.
import { t, type Static } from "elysia";
import { checkShape, invalid, requestBody } from "@todo/shared";
import { isTimeZone, ZONE_MESSAGE } from "../tasks/recurrence.ts";

const Uuid = t.String({
  pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
  examples: ["6f1c2a4e-8d0b-4c39-9b8e-2f3a5c7d9e01"],
});

export const ChatRequest = t.Object(
  {
    conversation_id: t.Optional(
      t.Union([Uuid], { description: "continue this conversation; omit to start a new one" }),
    ),
    message: t.String({
      minLength: 1,
      maxLength: 4000,
      examples: ["remind me to call Bob tomorrow at 3pm, 15 minutes before"],
    }),
    timezone: t.Optional(
      t.String({
        minLength: 1,
        maxLength: 64,
        description: "IANA zone dates are read in; default: the conversation's, else UTC",
        examples: ["Europe/Berlin"],
      }),
    ),
  },
  { additionalProperties: false },
);

export const Action = t.Object({
  tool: t.String({ examples: ["add_task"] }),
  arguments: t.Record(t.String(), t.Unknown()),
  result: t.Unknown({ description: "what the tool answered: a task, a page of tasks, or { error }" }),
});

export const ChatReply = t.Object({ conversation_id: t.String(), reply: t.String(), actions: t.Array(Action) });

export const Message = t.Object({
  role: t.Union([t.Literal("user"), t.Literal("assistant")]),
  content: t.String(),
  at: t.String(),
  actions: t.Optional(t.Array(Action)),
});

export const Conversation = t.Object({
  conversation_id: t.String(),
  timezone: t.String(),
  created_at: t.String(),
  updated_at: t.String(),
  messages: t.Array(Message),
});

export const ConversationParams = t.Object({ conversation_id: t.String({ maxLength: 64 }) });

export type ChatRequest = Static<typeof ChatRequest>;

/** POST /api/chat: the shape, then a time zone that exists. */
export function validateChatRequest(body: unknown): ChatRequest {
  const request = checkShape(ChatRequest, body);
  if (request.timezone && !isTimeZone(request.timezone)) throw invalid({ timezone: ZONE_MESSAGE });
  return request;
}
export const chatRequestBody = requestBody(ChatRequest, validateChatRequest);
export type Action = Static<typeof Action>;
export type ChatReply = Static<typeof ChatReply>;
export type Message = Static<typeof Message>;
export type Conversation = Static<typeof Conversation>;
