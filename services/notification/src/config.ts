// notification's settings. The SMTP password comes from the Dapr secret store
// (`smtp-password`) unless SMTP_PASSWORD overrides it. Retry timings are
// settings so the local stack can use seconds where production uses minutes.
import { Type } from "@sinclair/typebox";
import { configLoader, databaseUrl } from "@todo/shared";

const Millis = (fallback: number, description: string) => Type.Integer({ minimum: 1, default: fallback, description });

export const loadConfig = configLoader(
  { port: 3001, daprPort: 3501 },
  {
    DATABASE_URL: databaseUrl("notification"),
    SMTP_HOST: Type.String({ minLength: 1, default: "localhost" }),
    SMTP_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 587 }),
    /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
    SMTP_SECURE: Type.Boolean({ default: false }),
    SMTP_USER: Type.Optional(Type.String({ minLength: 1 })),
    SMTP_PASSWORD: Type.Optional(
      Type.String({ minLength: 1, description: "overrides the secret store's smtp-password" }),
    ),
    SMTP_FROM: Type.String({ minLength: 3, default: "Todo reminders <reminders@todo.local>" }),
    SMTP_TIMEOUT_MS: Millis(15_000, "connection, greeting and socket timeout"),
    EMAIL_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 100, default: 8 }),
    EMAIL_RETRY_BASE_MS: Millis(30_000, "wait after the first failed attempt; doubles each time"),
    EMAIL_RETRY_MAX_MS: Millis(30 * 60_000, "longest wait between attempts"),
    EMAIL_POLL_MS: Millis(1_000, "how often the dispatcher looks for due deliveries"),
    CONTACT_CACHE_MS: Type.Integer({
      minimum: 0,
      default: 60_000,
      description: "how long a user's address from todo-api is reused; 0 asks todo-api for every email",
    }),
    /** Due times in emails are written in this zone (reminders carry no user zone). */
    EMAIL_TIME_ZONE: Type.String({ minLength: 1, default: "UTC" }),
  },
);
export type Config = ReturnType<typeof loadConfig>;
