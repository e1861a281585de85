// Every token must expire: one without `exp`, however well signed, is a 401
// on the API and a 1008 on the live feed.
import { expect, test } from "bun:test";
import { APP_IDS } from "@todo/shared";
import { createHmac, randomUUID } from "node:crypto";
import { jwtSecret, request } from "../support/api.ts";
import { eventually, stack } from "../support/stack.ts";

/** An HS256 JWT signed with the stack's key, with no `exp` (signToken always sets one). */
function foreverToken(sub: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const unsigned = `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub, iat: Math.floor(Date.now() / 1000) })}`;
  return `${unsigned}.${createHmac("sha256", jwtSecret()).update(unsigned).digest("base64url")}`;
}

test("a token without exp gets 401 from the API and 1008 from the live feed", async () => {
  const token = foreverToken(`forever-${randomUUID()}`);
  const res = await request("GET", "/api/tasks", undefined, { authorization: `Bearer ${token}` });
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe("unauthorized");

  const socket = new WebSocket(`ws://127.0.0.1:${stack().ports.services[APP_IDS.wsSync].app}/ws`, ["bearer", token]);
  const frames: string[] = [];
  let closed: number | undefined;
  socket.onmessage = (e) => frames.push(String(e.data));
  socket.onclose = (e) => (closed = e.code);
  expect(await eventually("the socket to be closed", () => closed, 10_000)).toBe(1008);
  expect(frames).toEqual([]);
});
