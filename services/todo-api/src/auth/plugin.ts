// Bearer-token authentication for the public API: a valid JWT or a 401.
import { Elysia } from "elysia";
import { bearerToken, unauthorized, type AuthUser, type TokenVerifier } from "@todo/shared";
import type { UserDirectory } from "./users.ts";

export function authentication(verify: TokenVerifier, users: UserDirectory) {
  // Unnamed: each route group that uses it needs its own derive (see app-token.ts).
  return new Elysia().derive({ as: "scoped" }, async ({ request }): Promise<{ user: AuthUser }> => {
    const token = bearerToken(request.headers.get("authorization"));
    if (!token) throw unauthorized();
    let user: AuthUser;
    try {
      user = await verify(token);
    } catch (err) {
      throw unauthorized(err instanceof Error ? `Invalid bearer token: ${err.message}` : "Invalid bearer token");
    }
    await users.remember(user);
    return { user };
  });
}
