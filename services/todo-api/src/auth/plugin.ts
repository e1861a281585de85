// Bearer-token authentication for the public API: a valid JWT or a 401, and
// a per-user request budget (429 with Retry-After when spent). Callers
// without a valid token are budgeted by address, so guessing tokens is slow.
import { Elysia } from "elysia";
import { AppError, bearerToken, unauthorized, type AuthUser, type RateLimiter, type TokenVerifier } from "@todo/shared";
import type { UserDirectory } from "./users.ts";

export function authentication(verify: TokenVerifier, users: UserDirectory, limiter?: RateLimiter) {
  const spend = (key: string, set: { headers: Record<string, string | number> }) => {
    if (!limiter) return;
    const decision = limiter.take(key);
    set.headers["ratelimit-remaining"] = decision.remaining;
    if (decision.allowed) return;
    set.headers["retry-after"] = decision.retryAfter;
    throw new AppError(429, "rate_limited", `Too many requests; retry in ${decision.retryAfter} s`);
  };
  // Unnamed, so each route group gets its own derive: Elysia workaround 6 (docs/architecture.md).
  return new Elysia().derive({ as: "scoped" }, async ({ request, server, set }): Promise<{ user: AuthUser }> => {
    const token = bearerToken(request.headers.get("authorization"));
    let user: AuthUser | undefined;
    try {
      if (token) user = await verify(token);
    } catch {
      // answered below, after the address has paid for the attempt
    }
    if (!user) {
      spend(`ip:${server?.requestIP(request)?.address ?? "unknown"}`, set as never);
      throw unauthorized(token ? "Invalid bearer token" : undefined);
    }
    spend(`user:${user.userId}`, set as never);
    await users.remember(user);
    return { user };
  });
}
