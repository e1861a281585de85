// Live updates from ws-sync: reconnects with exponential backoff, and asks
// the page to refetch after a `resync` (the server dropped us or lost track).
// The token travels as the `bearer` subprotocol, never in the URL, which
// proxies and ingresses write to their logs.
import type { TaskUpdate } from "@todo/shared/events";

/** What ws-sync sends: a task-updates payload, or a control frame such as `resync`. */
type Frame = Partial<TaskUpdate> & { type?: string };

export interface LiveHandlers {
  onUpdate(message: TaskUpdate): void;
  onResync(): void;
  onState(connected: boolean): void;
}

export function connectLive(wsUrl: string, token: () => string | null, handlers: LiveHandlers): () => void {
  let socket: WebSocket | null = null;
  let attempt = 0;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const url = () => {
    const base = new URL(wsUrl, location.href);
    base.protocol = base.protocol === "https:" ? "wss:" : base.protocol === "http:" ? "ws:" : base.protocol;
    return base.toString();
  };
  const open = () => {
    const jwt = token();
    socket = new WebSocket(url(), jwt ? ["bearer", jwt] : []);
    socket.onopen = () => {
      attempt = 0;
      handlers.onState(true);
      handlers.onResync(); // anything may have changed while we were away
    };
    socket.onmessage = (event) => {
      let message: Frame | null;
      try {
        message = JSON.parse(String(event.data)) as Frame | null;
      } catch {
        return;
      }
      if (message?.type === "resync") handlers.onResync();
      else if (typeof message?.operation === "string") handlers.onUpdate(message as TaskUpdate);
    };
    socket.onclose = () => {
      handlers.onState(false);
      if (closed) return;
      const delay = Math.min(30_000, 500 * 2 ** attempt++) * (0.5 + Math.random() / 2);
      timer = setTimeout(open, delay);
    };
  };
  open();
  return () => {
    closed = true;
    clearTimeout(timer);
    socket?.close();
  };
}
