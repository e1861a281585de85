// Bearer JWTs: the `sub` claim is the user id, `email` the user's address.
// Verified with an HS256 shared secret (local development) or a JWKS URL.
// Every token must expire: one without `exp` is refused, since a leaked one
// would otherwise stay good for ever. A token once verified is remembered
// until its exp (at most a few minutes), since a client sends the same one
// on every request and the signature check was most of a read's CPU.
import { createRemoteJWKSet, errors, jwtVerify, SignJWT, type JWTVerifyGetKey } from "jose";
import { ExpiringCache } from "./expiring-cache.ts";

export interface AuthUser {
  userId: string;
  email: string | null;
  name: string | null;
}

export class AuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuthError";
  }
}

export interface VerifierOptions {
  secret?: string | undefined;
  jwksUrl?: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
  /** Milliseconds since the epoch; tests move it. */
  clock?: () => number;
}

/** Verified tokens kept per process: bounded, and each for at most this long (never past its exp). */
const REMEMBERED_TOKENS = 10_000;
const REMEMBER_MS = 5 * 60_000;

export type TokenVerifier = (token: string) => Promise<AuthUser>;

export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  let key: Promise<CryptoKey> | JWTVerifyGetKey;
  let algorithms: string[];
  if (options.jwksUrl) {
    key = createRemoteJWKSet(new URL(options.jwksUrl));
    algorithms = ["RS256", "ES256", "PS256", "EdDSA"];
  } else if (options.secret) {
    // Imported once: given the raw bytes, jose imports them again on every call.
    key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(options.secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["verify"],
    );
    algorithms = ["HS256"];
  } else {
    throw new AuthError("either a JWT secret or a JWKS URL is required");
  }
  const clock = options.clock ?? Date.now;
  const verified = new ExpiringCache<AuthUser>(REMEMBERED_TOKENS, REMEMBER_MS);
  return async (token) => {
    const now = clock();
    const known = verified.get(token, now);
    if (known) return known;
    try {
      const { payload } = await jwtVerify(token, typeof key === "function" ? key : await key, {
        algorithms,
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: ["exp"],
        currentDate: new Date(now),
      });
      if (typeof payload.sub !== "string" || payload.sub.length === 0 || payload.sub.length > 255) {
        throw new AuthError("token has no usable sub claim");
      }
      const user: AuthUser = Object.freeze({
        userId: payload.sub,
        email: typeof payload.email === "string" ? payload.email : null,
        name: typeof payload.name === "string" ? payload.name : null,
      });
      verified.set(token, user, payload.exp! * 1000, now);
      return user;
    } catch (err) {
      if (err instanceof AuthError) throw err;
      if (err instanceof errors.JWTExpired) throw new AuthError("token expired");
      if (err instanceof errors.JWTClaimValidationFailed && err.claim === "exp")
        throw new AuthError("token has no exp claim");
      throw new AuthError("invalid token");
    }
  };
}

/** Extracts the token from `Authorization: Bearer <token>`. */
export function bearerToken(header: string | null | undefined): string | null {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1] ?? null;
}

/** Mints an HS256 token; used for local development and by tests. */
export async function signToken(
  secret: string,
  claims: { sub: string; email?: string; name?: string },
  options: { expiresIn?: string; issuer?: string; audience?: string } = {},
): Promise<string> {
  let jwt = new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "12h");
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
