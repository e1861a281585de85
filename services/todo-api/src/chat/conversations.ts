// Conversations live in the Dapr state store (Postgres behind the sidecar),
// one key per user and conversation. Appends are read-modify-write with the
// ETag and first-write concurrency: a writer that lost the race re-reads and
// appends again, so concurrent turns never drop each other's messages. What is
// stored is bounded in bytes (history-bound.ts).
import { DaprError, STATE_STORE, type DaprClient, type Logger } from "@todo/shared";
import { boundConversation } from "./history-bound.ts";
import type { Conversation, Message } from "./model.ts";

const MAX_ATTEMPTS = 20;

export interface ConversationStore {
  get(userId: string, id: string): Promise<Conversation | null>;
  /** Appends to a conversation, creating it when `create` is set; null when it does not exist and may not be created. */
  append(
    userId: string,
    id: string,
    messages: Message[],
    options: { create: boolean; timezone?: string },
  ): Promise<Conversation | null>;
}

// The user id comes first and the conversation id is a UUID, so no two
// (user, conversation) pairs share a key and nobody reaches another's.
const keyOf = (userId: string, id: string) => `chat:${userId}:${id.toLowerCase()}`;

/** Dapr answers a stale ETag with 409 (older sidecars: 500 naming the ETag). */
const isConflict = (err: unknown) => err instanceof DaprError && (err.status === 409 || /etag/i.test(err.body));

export class DaprConversationStore implements ConversationStore {
  constructor(
    private readonly dapr: DaprClient,
    private readonly log: Logger,
    /** The most a stored conversation may weigh, as JSON; below the sidecar's request-body limit. */
    private readonly maxBytes: number,
  ) {}

  async get(userId: string, id: string): Promise<Conversation | null> {
    return (await this.dapr.getState<Conversation>(STATE_STORE, keyOf(userId, id)))?.value ?? null;
  }

  async append(
    userId: string,
    id: string,
    messages: Message[],
    options: { create: boolean; timezone?: string },
  ): Promise<Conversation | null> {
    const key = keyOf(userId, id);
    for (let attempt = 1; ; attempt++) {
      const current = await this.dapr.getState<Conversation>(STATE_STORE, key);
      if (!current && !options.create) return null;
      const now = new Date().toISOString();
      const base = current?.value ?? {
        conversation_id: id.toLowerCase(),
        timezone: "UTC",
        created_at: now,
        updated_at: now,
        messages: [],
      };
      const whole: Conversation = {
        ...base,
        timezone: options.timezone ?? base.timezone,
        updated_at: now,
        messages: [...base.messages, ...messages],
      };
      const next = boundConversation(whole, messages.length, this.maxBytes);
      try {
        // Without an ETag (a new, random id) first-write makes Dapr insert: it fails, never overwrites, if the key exists.
        await this.dapr.saveState(STATE_STORE, [
          {
            key,
            value: next,
            ...(current?.etag ? { etag: current.etag } : {}),
            options: { concurrency: "first-write" },
          },
        ]);
        return next;
      } catch (err) {
        if (!isConflict(err) || attempt >= MAX_ATTEMPTS) throw err;
        this.log.debug("conversation changed meanwhile; appending again", {
          user_id: userId,
          conversation_id: id,
          attempt,
        });
        await Bun.sleep(Math.random() * 10 * attempt); // jitter, so racing writers spread out
      }
    }
  }
}
