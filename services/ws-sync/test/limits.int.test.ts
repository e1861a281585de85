// Clients only listen. What they send anyway is budgeted per connection: a
// flooding client is closed with 1008, a client sending an oversized frame is
// cut off, and a client within the budget keeps receiving its updates. A user
// may hold WS_MAX_SOCKETS_PER_USER (20) sockets on an instance; the next is
// closed with 4429.
import { expect, test } from "bun:test";
import { signToken } from "@todo/shared";
import { randomUUID } from "node:crypto";
import { jwtSecret, request } from "../../../test/support/api.ts";
import { eventually } from "../../../test/support/stack.ts";
import { LiveSocket } from "./live-socket.ts";

const tokenFor = (userId: string) => signToken(jwtSecret(), { sub: userId });

test("a client that floods the socket with messages is closed with 1008; a polite one keeps its feed", async () => {
  const flooder = `ws-flood-${randomUUID()}`;
  const flood = await LiveSocket.as(await tokenFor(flooder));
  for (let i = 0; i < 60; i++) flood.ws.send(`hello ${i}`);
  const closed = await eventually("the flooding socket to be closed", () => flood.closed ?? undefined, 10_000);
  expect(closed.code).toBe(1008);

  const politeUser = `ws-polite-${randomUUID()}`;
  const token = await tokenFor(politeUser);
  const polite = await LiveSocket.as(token);
  for (let i = 0; i < 5; i++) polite.ws.send(`hi ${i}`);
  const created = await request(
    "POST",
    "/api/tasks",
    { title: "still listening" },
    { authorization: `Bearer ${token}` },
  );
  expect(created.status).toBe(201);
  const [update] = await polite.waitForUpdates(1, 20_000);
  expect(update.task_id).toBe(created.body.id);
  expect(polite.closed).toBeNull();
  polite.close();
});

test("an oversized frame cuts the socket off", async () => {
  const socket = await LiveSocket.as(await tokenFor(`ws-big-${randomUUID()}`));
  socket.ws.send("x".repeat(64 * 1024));
  const closed = await eventually("the socket to be closed", () => socket.closed ?? undefined, 10_000);
  // Bun drops the connection at once: the client sees 1009 or, without a close frame, 1006.
  expect([1009, 1006]).toContain(closed.code);
});

test("a user's 21st socket is closed with 4429 and gets nothing; the 20 keep their feed, and a freed place can be taken", async () => {
  const userId = `ws-many-${randomUUID()}`;
  const token = await tokenFor(userId);
  const open: LiveSocket[] = [];
  for (let i = 0; i < 20; i++) open.push(await LiveSocket.as(token));
  expect(open.every((s) => s.closed === null && s.control("ready"))).toBe(true);

  const extra = await LiveSocket.as(token);
  expect((await extra.waitForClose()).code).toBe(4429);
  expect(extra.frames).toHaveLength(0);
  const other = await LiveSocket.as(await tokenFor(`ws-other-${randomUUID()}`)); // the cap is per user
  expect(other.closed).toBeNull();

  const created = await request("POST", "/api/tasks", { title: "to all twenty" }, { authorization: `Bearer ${token}` });
  expect(created.status).toBe(201);
  for (const s of open) expect((await s.waitForUpdates(1))[0].task_id).toBe(created.body.id);

  open.shift()!.close();
  // The server frees the place once it has seen the close; until then a new socket may still be refused.
  const again = await eventually(
    "a place freed by a closed socket",
    async () => {
      const s = await LiveSocket.as(token);
      return s.closed === null ? s : undefined;
    },
    10_000,
  );
  expect(again.control("ready")).toBeDefined();
  for (const s of [...open, again, other]) s.close();
});
