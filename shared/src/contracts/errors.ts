// The one error body every service answers with, and every caller reads:
// { "error": { "code", "message", "fields"? } }. shared/src/errors.ts maps
// failures to it; callers of another service tell that service's own answer
// (a decision) from a sidecar's or proxy's (a transport failure) by it.
import { Type, type Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    fields: Type.Optional(Type.Record(Type.String(), Type.String())),
  }),
});
export type ErrorBody = Static<typeof ErrorBody>;

/** The error a response body carries if it is one of ours, else undefined. */
export function readErrorBody(text: string): ErrorBody["error"] | undefined {
  try {
    const body: unknown = JSON.parse(text);
    return Value.Check(ErrorBody, body) ? body.error : undefined;
  } catch {
    return undefined;
  }
}
