import { Type } from "@sinclair/typebox";
import { configLoader, jwtConfig } from "@todo/shared";

export const loadConfig = configLoader(
  { port: 3004, daprPort: 3504 },
  {
    ...jwtConfig(),
    /** A client with more unsent bytes than this is told to resync and closed. */
    WS_MAX_BUFFERED_BYTES: Type.Integer({ minimum: 1024, default: 256 * 1024 }),
    /** Bun pings a socket idle for a while and drops one silent this long (seconds). */
    WS_IDLE_TIMEOUT_S: Type.Integer({ minimum: 8, maximum: 960, default: 60 }),
    /** Clients only listen; what they send is budgeted per connection (burst, then per second) and capped in size. */
    WS_MESSAGE_BURST: Type.Integer({ minimum: 1, default: 20 }),
    WS_MESSAGES_PER_SECOND: Type.Number({ minimum: 0.01, default: 1 }),
    WS_MAX_MESSAGE_BYTES: Type.Integer({ minimum: 128, default: 4096 }),
    REPLAY_PER_USER: Type.Integer({ minimum: 0, default: 200 }),
    REPLAY_USERS: Type.Integer({ minimum: 1, default: 10_000 }),
    REPLAY_MAX_AGE_S: Type.Integer({ minimum: 1, default: 900 }),
    /**
     * What the replay window may hold, all users together (frames plus
     * bookkeeping). Resident memory grows by several times this under a
     * burst (freed frames leave the heap fragmented): 5 000 users x 50
     * updates of 850 B took a 61 MB process to a 139 MB peak at 16 MiB,
     * 179 MB at 32 MiB, and 328 MB unbounded, against a 256 Mi limit.
     */
    REPLAY_MAX_BYTES: Type.Integer({ minimum: 64 * 1024, default: 16 * 1024 * 1024 }),
    /** Open sockets per user on one instance; the next is closed with 4429. */
    WS_MAX_SOCKETS_PER_USER: Type.Integer({ minimum: 1, default: 20 }),
  },
);
export type Config = ReturnType<typeof loadConfig>;
