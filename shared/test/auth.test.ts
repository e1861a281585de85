import { expect, test } from "bun:test";
import { SignJWT } from "jose";
import { AuthError, bearerToken, createTokenVerifier, signToken } from "../src/index.ts";

const secret = "test-secret-0123456789-0123456789";
const verify = createTokenVerifier({ secret });

test("a signed token yields its user", async () => {
  const token = await signToken(secret, { sub: "alice", email: "alice@example.com" });
  expect(await verify(token)).toEqual({ userId: "alice", email: "alice@example.com", name: null });
});

test("tokens signed with another key, expired, unsigned or without sub are rejected", async () => {
  const wrongKey = await signToken("another-secret-0123456789-012345", { sub: "alice" });
  const expired = await new SignJWT({ sub: "alice" })
    .setProtectedHeader({ alg: "HS256" })
    .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
    .sign(new TextEncoder().encode(secret));
  const noSub = await new SignJWT({ email: "x@example.com" })
    .setProtectedHeader({ alg: "HS256" })
    .setExpirationTime("1h")
    .sign(new TextEncoder().encode(secret));
  const unsigned = `${btoa(JSON.stringify({ alg: "none", typ: "JWT" })).replace(/=/g, "")}.${btoa(JSON.stringify({ sub: "alice" })).replace(/=/g, "")}.`;
  for (const token of [wrongKey, expired, noSub, unsigned, "garbage"]) {
    await expect(verify(token)).rejects.toBeInstanceOf(AuthError);
  }
});

test("a token without exp is refused, however well signed", async () => {
  const forever = await new SignJWT({ sub: "alice" })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .sign(new TextEncoder().encode(secret));
  await expect(verify(forever)).rejects.toThrow("token has no exp claim");
  const bounded = await signToken(secret, { sub: "alice" });
  expect((await verify(bounded)).userId).toBe("alice");
});

test("issuer and audience are enforced when configured", async () => {
  const strict = createTokenVerifier({ secret, issuer: "https://issuer.example", audience: "todo" });
  const good = await signToken(secret, { sub: "bob" }, { issuer: "https://issuer.example", audience: "todo" });
  const wrongAudience = await signToken(
    secret,
    { sub: "bob" },
    { issuer: "https://issuer.example", audience: "other" },
  );
  expect((await strict(good)).userId).toBe("bob");
  await expect(strict(wrongAudience)).rejects.toBeInstanceOf(AuthError);
});

test("bearer tokens are read from the Authorization header", () => {
  expect(bearerToken("Bearer abc.def.ghi")).toBe("abc.def.ghi");
  expect(bearerToken("Basic abc")).toBeNull();
  expect(bearerToken(null)).toBeNull();
});

test("a token that is not valid yet (nbf in the future) is rejected", async () => {
  const early = await new SignJWT({ sub: "alice" })
    .setProtectedHeader({ alg: "HS256" })
    .setNotBefore(Math.floor(Date.now() / 1000) + 3600)
    .setExpirationTime("2h")
    .sign(new TextEncoder().encode(secret));
  await expect(verify(early)).rejects.toBeInstanceOf(AuthError);
});

test("a remembered token is refused once its exp has passed", async () => {
  let now = Date.now();
  const clocked = createTokenVerifier({ secret, clock: () => now });
  const token = await signToken(secret, { sub: "carol" }, { expiresIn: "60s" });
  expect((await clocked(token)).userId).toBe("carol");
  expect((await clocked(token)).userId).toBe("carol"); // answered from memory
  now += 61_000;
  await expect(clocked(token)).rejects.toThrow("token expired");
});

test("a token signed with another key is refused even after a good one was remembered", async () => {
  const good = await signToken(secret, { sub: "dave" });
  await verify(good);
  const [header, payload] = good.split(".");
  await expect(verify(`${header}.${payload}.${"A".repeat(43)}`)).rejects.toBeInstanceOf(AuthError);
});
