// Bearer JWTs: the `sub` claim is the user id, `email` the user's address.
// Verified with an HS256 shared secret (local development) or a JWKS URL.
// Every token must expire: one without `exp` is refused, since a leaked one
// would otherwise stay good for ever.
import { createRemoteJWKSet, errors, jwtVerify, SignJWT, type JWTVerifyGetKey } from "jose";

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
}

export type TokenVerifier = (token: string) => Promise<AuthUser>;

export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  let key: Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  if (options.jwksUrl) {
    key = createRemoteJWKSet(new URL(options.jwksUrl));
    algorithms = ["RS256", "ES256", "PS256", "EdDSA"];
  } else if (options.secret) {
    key = new TextEncoder().encode(options.secret);
    algorithms = ["HS256"];
  } else {
    throw new AuthError("either a JWT secret or a JWKS URL is required");
  }
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, key as Uint8Array, {
        algorithms,
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: ["exp"],
      });
      if (typeof payload.sub !== "string" || payload.sub.length === 0 || payload.sub.length > 255) {
        throw new AuthError("token has no usable sub claim");
      }
      return {
        userId: payload.sub,
        email: typeof payload.email === "string" ? payload.email : null,
        name: typeof payload.name === "string" ? payload.name : null,
      };
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
