// How a service that checks the API's JWTs finds its key: an identity
// provider's JWKS URL, or the HS256 secret from the Dapr secret store
// (`secretstore`, key `jwt-secret`), which JWT_SECRET overrides.
import { Type } from "@sinclair/typebox";
import { createTokenVerifier, type TokenVerifier } from "./auth.ts";
import type { DaprClient } from "./dapr/client.ts";
import { SECRET_STORE } from "./topics.ts";

const optional = (description: string) => Type.Optional(Type.String({ minLength: 1, description }));

/** Configuration variables of JWT verification, to spread into a service's config schema. */
export const jwtConfig = () => ({
  /** Overrides the secret store's `jwt-secret` (HS256); ignored when JWT_JWKS_URL is set. */
  JWT_SECRET: optional("HS256 secret"),
  JWT_JWKS_URL: optional("JWKS URL of an identity provider"),
  JWT_ISSUER: optional("required iss claim"),
  JWT_AUDIENCE: optional("required aud claim"),
});

export interface JwtSettings {
  JWT_SECRET?: string | undefined;
  JWT_JWKS_URL?: string | undefined;
  JWT_ISSUER?: string | undefined;
  JWT_AUDIENCE?: string | undefined;
}

/** The verifier, and the HS256 secret when there is one (so the logger can redact it). */
export async function loadTokenVerifier(
  config: JwtSettings,
  dapr: Pick<DaprClient, "getSecret">,
): Promise<{ verify: TokenVerifier; secret: string | undefined }> {
  const secret = config.JWT_JWKS_URL
    ? undefined
    : (config.JWT_SECRET ?? (await dapr.getSecret(SECRET_STORE, "jwt-secret"))["jwt-secret"]);
  const verify = createTokenVerifier({
    secret,
    jwksUrl: config.JWT_JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  return { verify, secret };
}
