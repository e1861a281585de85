// What a stored conversation may weigh. The whole conversation is one state
// value, written through the sidecar, which refuses a request body over its
// limit (4 MiB by default); past that, every later turn would fail. Tool
// results (whole tasks, pages of them) are what grows, so they give way
// first, then the oldest messages; the newest exchange is kept whole when it
// fits at all. The reply to the client is never cut, only the stored copy.
import type { Action, Conversation, Message } from "./model.ts";

/** Oldest messages beyond this are dropped whatever their size. */
export const MAX_MESSAGES = 500;
/** A quarter of the sidecar's default request-body limit: room for the save request around it, and quick to read and write. */
export const DEFAULT_HISTORY_MAX_BYTES = 1024 * 1024;

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/** What a stored action holds instead of a result (or arguments) that did not fit. */
const stub = (value: unknown) => ({ truncated: true, bytes: bytesOf(value ?? null) });

const withoutResults = (m: Message): Message =>
  m.actions?.length ? { ...m, actions: m.actions.map((a): Action => ({ ...a, result: stub(a.result) })) } : m;
const withoutArguments = (m: Message): Message =>
  m.actions?.length ? { ...m, actions: m.actions.map((a): Action => ({ ...a, arguments: stub(a.arguments) })) } : m;

/** `text` cut so that its JSON form loses at least `excess` bytes, at a character boundary, marked with an ellipsis. */
function shorten(text: string, excess: number): string {
  const chars = Array.from(text);
  let keep = chars.length;
  let saved = 0;
  while (keep > 0 && saved < excess + 3) saved += bytesOf(chars[--keep]) - 2; // a character's bytes without its quotes
  return `${chars.slice(0, keep).join("")}…`;
}

/**
 * The conversation with at most MAX_MESSAGES messages and at most `maxBytes`
 * of JSON. Until it fits: earlier messages' tool results become
 * `{ truncated: true, bytes }`, oldest first; the oldest messages are
 * dropped; then the newest exchange (its last `newest` messages) loses its
 * tool results, its tool arguments, and finally the end of its text.
 */
export function boundConversation(conversation: Conversation, newest: number, maxBytes: number): Conversation {
  const messages = conversation.messages.slice(-MAX_MESSAGES);
  const sizes = messages.map(bytesOf);
  // JSON of the whole = the envelope with an empty array, plus each message and the commas between them.
  const envelope = bytesOf({ ...conversation, messages: [] });
  let sum = sizes.reduce((a, b) => a + b, 0);
  const excess = () => envelope + sum + Math.max(0, messages.length - 1) - maxBytes;
  const replace = (i: number, m: Message) => {
    messages[i] = m;
    const size = bytesOf(m);
    sum += size - sizes[i]!;
    sizes[i] = size;
  };

  const older = () => messages.length - Math.min(newest, messages.length);
  for (let i = 0; i < older() && excess() > 0; i++) replace(i, withoutResults(messages[i]!));
  while (older() > 0 && excess() > 0) {
    messages.shift();
    sum -= sizes.shift()!;
  }
  for (const shrink of [withoutResults, withoutArguments]) {
    for (let i = messages.length - 1; i >= 0 && excess() > 0; i--) replace(i, shrink(messages[i]!));
  }
  for (let i = messages.length - 1; i >= 0 && excess() > 0; i--)
    replace(i, { ...messages[i]!, content: shorten(messages[i]!.content, excess()) });
  return { ...conversation, messages };
}
