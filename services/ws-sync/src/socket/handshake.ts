// What a client presents when it connects: its JWT as a
// Sec-WebSocket-Protocol (browsers cannot set headers on a WebSocket),
// offered as ["bearer", "<jwt>"] or alone; and optionally `since`, the last
// update timestamp it saw before reconnecting. The `token` query parameter
// still works but is deprecated: URLs end up in proxy and ingress logs.

export const BEARER_PROTOCOL = "bearer";

export interface Credentials {
  token: string | null;
  /** The token came in the (deprecated) query string. */
  viaQuery: boolean;
  /** The subprotocol the server must select, or null when none was offered. */
  protocol: string | null;
}

export function credentials(queryToken: string | undefined, protocolHeader: string | null): Credentials {
  const offered = (protocolHeader ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  const fromHeader = offered.find((p) => p.toLowerCase() !== BEARER_PROTOCOL) ?? null;
  // A browser fails the handshake unless the server selects one of the offered protocols:
  // prefer the marker, so the token is not echoed back.
  const protocol =
    offered.length === 0 ? null : (offered.find((p) => p.toLowerCase() === BEARER_PROTOCOL) ?? fromHeader);
  const viaQuery = !fromHeader && !!queryToken;
  return { token: fromHeader ?? (queryToken || null), viaQuery, protocol };
}

/** `since` as milliseconds, or undefined when absent; null when present but not a date-time. */
export function sinceParam(value: string | undefined): number | null | undefined {
  if (value === undefined || value === "") return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
