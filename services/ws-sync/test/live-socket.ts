// A WebSocket client for tests: records every frame with its arrival time
// and how the socket closed, and waits on conditions with deadlines.
import { APP_IDS } from "@todo/shared";
import { eventually, stack } from "../../../test/support/stack.ts";

export interface Frame {
  /** performance.now() at arrival. */
  at: number;
  data: any;
}

/** ws-sync's /ws on the main instance, or on a replica named in stack.json (`ws-sync-2`). */
export function wsUrl(query: Record<string, string> = {}, instance?: string): string {
  const s = stack();
  const port = instance ? s.replicas?.[instance]?.ports.app : s.ports.services[APP_IDS.wsSync].app;
  if (!port) throw new Error(`no ws-sync instance ${instance} in stack.json`);
  return `ws://127.0.0.1:${port}/ws?${new URLSearchParams(query)}`;
}

export class LiveSocket {
  readonly frames: Frame[] = [];
  closed: { code: number; reason: string } | null = null;
  private constructor(readonly ws: WebSocket) {
    ws.onmessage = (e) => this.frames.push({ at: performance.now(), data: JSON.parse(String(e.data)) });
    ws.onclose = (e) => (this.closed = { code: e.code, reason: e.reason });
  }

  /** Opens a socket; resolves once the server's `ready` frame (or a close) arrived. */
  static async open(url: string, protocols?: string[]): Promise<LiveSocket> {
    const socket = new LiveSocket(new WebSocket(url, protocols));
    await eventually(
      `socket ${url.split("?")[0]} ready or closed`,
      () => socket.closed ?? socket.control("ready"),
      10_000,
    );
    return socket;
  }

  /** Opens a socket for a user, the token sent as the `bearer` subprotocol (as the web client does). */
  static as(token: string, query: Record<string, string> = {}, instance?: string): Promise<LiveSocket> {
    return LiveSocket.open(wsUrl(query, instance), ["bearer", token]);
  }

  /** Update frames: the topic's payloads, in arrival order. */
  updates(): any[] {
    return this.frames.filter((f) => f.data.type === undefined).map((f) => f.data);
  }

  control(type: string): any {
    return this.frames.find((f) => f.data.type === type)?.data;
  }

  waitForUpdates(n: number, timeoutMs = 20_000): Promise<any[]> {
    return eventually(
      `${n} updates (have ${this.updates().length})`,
      () => (this.updates().length >= n ? this.updates() : undefined),
      timeoutMs,
    );
  }

  waitForClose(timeoutMs = 10_000) {
    return eventually("the socket to close", () => this.closed ?? undefined, timeoutMs);
  }

  close() {
    this.ws.close();
  }
}
