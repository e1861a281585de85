// Who is connected, per user, and how each update reaches them: in arrival
// order (Dapr delivers one user's partition in order), without ever waiting
// on a socket. A client whose unsent backlog passes the bound is told to
// resync and is closed, so a slow reader never costs the others anything.
import type { Logger, TaskUpdate } from "@todo/shared";
import { clientsDropped, framesSent } from "./metrics.ts";
import type { ReplayWindow } from "./window.ts";

/** What the hub needs of a WebSocket (Bun's ServerWebSocket, or a test double). */
export interface ClientSocket {
  send(text: string): void;
  /** Bytes queued for this socket and not yet handed to the kernel. */
  bufferedAmount(): number;
  /** Closes with a close frame; a peer that has not answered after `graceMs` is cut off. */
  close(code: number, reason: string, graceMs?: number): void;
}

export interface Client {
  userId: string;
  socket: ClientSocket;
}

/**
 * Control frames carry a `type`; update frames are the topic's payload plus,
 * when the update was delivered under a trace, its `traceparent`.
 */
export type ControlFrame =
  | { type: "ready"; user_id: string; replayed: number }
  | { type: "resync"; reason: "slow_consumer" | "replay_unavailable" };

/** 1013 Try Again Later: the client may reconnect, then refetch. */
export const CLOSE_SLOW_CONSUMER = 1013;
/** 1001 Going Away: this instance is stopping; reconnect (to another replica) and replay. */
export const CLOSE_GOING_AWAY = 1001;
/** Application range, after HTTP 429: the user already has the most sockets allowed on this instance. */
export const CLOSE_TOO_MANY_SOCKETS = 4429;

/** How long a stopping instance waits for peers to answer its close frame. */
const SHUTDOWN_GRACE_MS = 1000;

export interface HubOptions {
  window: ReplayWindow;
  /** Per-client bound on unsent bytes. */
  maxBufferedBytes: number;
  /** Open sockets per user on this instance; one more is refused. */
  maxSocketsPerUser: number;
  log: Logger;
}

export class Hub {
  private readonly clients = new Map<string, Set<Client>>();

  constructor(private readonly o: HubOptions) {}

  /**
   * Registers a client; with `since` (the last update timestamp it saw), first
   * replays what it missed, or tells it to refetch. Synchronous, so no live
   * update can slip in between the replay and the registration. A socket
   * over the user's cap is closed before anything is sent; returns false then.
   */
  attach(client: Client, since?: number): boolean {
    const mine = this.clients.get(client.userId);
    if ((mine?.size ?? 0) >= this.o.maxSocketsPerUser) {
      client.socket.close(CLOSE_TOO_MANY_SOCKETS, "too many connections for this user");
      return false;
    }
    let replayed = 0;
    if (since !== undefined) {
      const missed = this.o.window.since(client.userId, since);
      if (missed === null) send(client, { type: "resync", reason: "replay_unavailable" });
      else
        for (const frame of missed) {
          client.socket.send(frame);
          replayed++;
        }
      framesSent.inc({ kind: "replay" }, replayed);
    }
    (mine ?? this.clients.set(client.userId, new Set()).get(client.userId)!).add(client);
    send(client, { type: "ready", user_id: client.userId, replayed });
    return true;
  }

  detach(client: Client): void {
    const set = this.clients.get(client.userId);
    if (!set?.delete(client)) return;
    if (set.size === 0) this.clients.delete(client.userId);
  }

  /**
   * Sends one update to every connection of its user; returns how many got it.
   * `traceparent`: the span that delivered it (a child of the write's trace),
   * carried in the frame so a client can join the trace; replays carry it too.
   */
  publish(update: TaskUpdate, traceparent?: string | null): number {
    const frame = JSON.stringify(traceparent ? { ...update, traceparent } : update);
    this.o.window.add(update.user_id, Date.parse(update.timestamp), frame);
    let sent = 0;
    for (const client of [...(this.clients.get(update.user_id) ?? [])]) {
      if (client.socket.bufferedAmount() + frame.length > this.o.maxBufferedBytes) this.dropSlow(client);
      else {
        client.socket.send(frame);
        sent++;
      }
    }
    framesSent.inc({ kind: "live" }, sent);
    return sent;
  }

  /**
   * On shutdown, before the server stops (which waits for open sockets):
   * 1001 to every client, so it reconnects (to another replica) and replays
   * or refetches; a peer that does not answer within a second is cut off.
   */
  closeAll(): void {
    for (const set of this.clients.values())
      for (const client of set) client.socket.close(CLOSE_GOING_AWAY, "server shutting down", SHUTDOWN_GRACE_MS);
    this.clients.clear();
  }

  connections(): number {
    let n = 0;
    for (const set of this.clients.values()) n += set.size;
    return n;
  }

  private dropSlow(client: Client) {
    this.detach(client);
    clientsDropped.inc();
    this.o.log.warn("slow client dropped", { user_id: client.userId, buffered_bytes: client.socket.bufferedAmount() });
    send(client, { type: "resync", reason: "slow_consumer" });
    client.socket.close(CLOSE_SLOW_CONSUMER, "send buffer full; resync");
  }
}

function send(client: Client, frame: ControlFrame) {
  client.socket.send(JSON.stringify(frame));
}
