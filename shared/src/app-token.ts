// Routes that only Dapr may call (subscriptions, job triggers, invoked
// methods) check the app API token the sidecar sends. A caller without it
// learns nothing: the answer is a plain 404, as for a route that isn't there.
import { Elysia } from "elysia";
import { timingSafeEqual } from "node:crypto";

export const APP_TOKEN_HEADER = "dapr-api-token";

export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A guard for a group of Dapr-only routes; a no-op when no token is configured. */
export function appTokenGuard(expected: string | undefined) {
  // Unnamed on purpose, so each group of Dapr-only routes gets its own guard:
  // Elysia workaround 6 (docs/architecture.md, "Elysia workarounds").
  return new Elysia().onBeforeHandle({ as: "scoped" }, ({ request, set }) => {
    if (!expected) return;
    if (tokenMatches(expected, request.headers.get(APP_TOKEN_HEADER))) return;
    set.status = 404;
    return { error: { code: "not_found", message: "Not found" } };
  });
}
