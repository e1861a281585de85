import { Type } from "@sinclair/typebox";
import { configLoader, databaseUrl, jwtConfig } from "@todo/shared";
import { DEFAULT_HISTORY_MAX_BYTES } from "./chat/history-bound.ts";

const optional = (description: string) => Type.Optional(Type.String({ minLength: 1, description }));

export const loadConfig = configLoader(
  { port: 3000, daprPort: 3500 },
  {
    DATABASE_URL: databaseUrl("todo"),
    ...jwtConfig(),
    MAX_BODY_BYTES: Type.Integer({ minimum: 1024, default: 256 * 1024 }),
    OUTBOX_RETENTION_HOURS: Type.Number({ minimum: 0, default: 24 }),
    /** "off" leaves outbox rows unpublished: only for benchmarks that measure the cost of publishing. */
    OUTBOX_RELAY: Type.Union([Type.Literal("on"), Type.Literal("off")], { default: "on" }),
    /** The longest a failed outbox row, or a failing target (a topic, the Jobs API), waits before its next try. */
    OUTBOX_RETRY_CAP_MS: Type.Integer({ minimum: 1000, default: 10_000 }),
    /** How often the relay logs its backlog per target while anything waits. */
    OUTBOX_STATE_LOG_MS: Type.Integer({ minimum: 1000, default: 30_000 }),
    /** The reminder sweeper (src/reminders/sweeper.ts): how often it looks, and how late a job may fire before it steps in. */
    REMINDER_SWEEP_MS: Type.Integer({ minimum: 100, default: 30_000 }),
    REMINDER_SWEEP_GRACE_MS: Type.Integer({ minimum: 1000, default: 90_000 }),
    /** Per user (per address without a valid token), per replica. */
    RATE_LIMIT_BURST: Type.Integer({ minimum: 1, default: 300 }),
    RATE_LIMIT_PER_SECOND: Type.Number({ minimum: 0.1, default: 50 }),
    /** The chat's model: an OpenAI-compatible API. Unset, the chat uses its parser only. */
    LLM_BASE_URL: optional("OpenAI-compatible base URL, e.g. https://api.openai.com/v1"),
    LLM_MODEL: Type.String({ minLength: 1, default: "gpt-4o-mini" }),
    /** Overrides the secret store's `llm-api-key`. */
    LLM_API_KEY: optional("model API key"),
    LLM_MAX_STEPS: Type.Integer({ minimum: 1, maximum: 20, default: 5 }),
    LLM_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 20_000 }),
    /** A stored chat conversation's size in bytes; keep it below the sidecar's request-body limit (4 MiB unless `--max-body-size` says otherwise). */
    CHAT_HISTORY_MAX_BYTES: Type.Integer({ minimum: 64 * 1024, default: DEFAULT_HISTORY_MAX_BYTES }),
  },
);
export type Config = ReturnType<typeof loadConfig>;
