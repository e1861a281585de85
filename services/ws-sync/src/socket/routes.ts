// GET /ws: the live feed. The token is checked before the socket opens; a
// bad or missing one gets the socket closed with 1008 (policy violation)
// and not one data frame. Idle sockets are pinged by Bun (app.ts sets
// sendPings and idleTimeout); one that stays silent is dropped. Clients only
// listen: what they send anyway is budgeted per connection, and a client
// that floods is closed with 1008 (its frames' size is capped in app.ts).
// A user's socket over the per-user cap is closed with 4429 (hub.ts).
import type { ServerWebSocket } from "bun";
import { Elysia, t } from "elysia";
import { RateLimiter, type AuthUser, type Logger, type RateLimitOptions, type TokenVerifier } from "@todo/shared";
import type { Client, Hub } from "../fanout/hub.ts";
import { credentials, sinceParam } from "./handshake.ts";

export const CLOSE_POLICY_VIOLATION = 1008;

/** How long a closed-but-unread socket may linger before it is cut. */
const CLOSE_GRACE_MS = 5000;

type Auth = { user: AuthUser; since: number | undefined; viaQuery: boolean } | { error: string };

export function socketRoutes(hub: Hub, verify: TokenVerifier, log: Logger, messageBudget: RateLimitOptions) {
  const clients = new WeakMap<object, Client>();
  const budget = new RateLimiter(messageBudget);
  const connectionIds = new WeakMap<object, string>();
  let nextConnection = 0;
  return new Elysia()
    .resolve(async ({ query, request }): Promise<{ auth: Auth }> => {
      const { token, viaQuery } = credentials(query.token, request.headers.get("sec-websocket-protocol"));
      if (!token) return { auth: { error: "a token is required" } };
      const since = sinceParam(query.since);
      if (since === null) return { auth: { error: "since is not a date-time" } };
      try {
        return { auth: { user: await verify(token), since, viaQuery } };
      } catch (err) {
        return { auth: { error: err instanceof Error ? err.message : "invalid token" } };
      }
    })
    .ws("/ws", {
      query: t.Object({ token: t.Optional(t.String()), since: t.Optional(t.String()) }),
      upgrade: ({ request, set }) => {
        const { protocol } = credentials(undefined, request.headers.get("sec-websocket-protocol"));
        if (protocol) set.headers["sec-websocket-protocol"] = protocol;
      },
      open(ws) {
        const { auth } = ws.data;
        if ("error" in auth) {
          log.info("socket refused", { reason: auth.error });
          ws.close(CLOSE_POLICY_VIOLATION, "invalid or missing token");
          return;
        }
        // Elysia's copy of Bun's socket type lacks getBufferedAmount (Elysia workaround 11, docs/architecture.md).
        const raw = ws.raw as unknown as ServerWebSocket<unknown>;
        const client: Client = {
          userId: auth.user.userId,
          socket: {
            send: (text) => void raw.sendText(text),
            bufferedAmount: () => raw.getBufferedAmount(),
            close: (code, reason, graceMs = CLOSE_GRACE_MS) => {
              raw.close(code, reason);
              // A peer that never reads never completes the close handshake either.
              setTimeout(() => raw.readyState !== 3 && raw.terminate(), graceMs).unref();
            },
          },
        };
        if (auth.viaQuery) log.warn("token sent in the query string (deprecated)", { user_id: client.userId });
        if (!hub.attach(client, auth.since)) {
          log.warn("socket refused: too many for this user", { user_id: client.userId });
          return;
        }
        clients.set(raw, client);
        connectionIds.set(ws.raw, `c${++nextConnection}`);
        log.info("socket opened", { user_id: client.userId, since: auth.since, connections: hub.connections() });
      },
      message(ws) {
        const id = connectionIds.get(ws.raw);
        if (!id || budget.take(id).allowed) return; // within budget: nothing to answer, the feed is one-way
        log.warn("socket closed for flooding", { user_id: clients.get(ws.raw)?.userId });
        ws.close(CLOSE_POLICY_VIOLATION, "message limit exceeded");
      },
      close(ws, code) {
        const client = clients.get(ws.raw);
        if (!client) return;
        clients.delete(ws.raw);
        hub.detach(client);
        log.info("socket closed", { user_id: client.userId, code, connections: hub.connections() });
      },
    });
}
