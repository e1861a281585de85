// Names every service and every YAML file agree on. Change them here and in
// dapr/ + gitops/ together; the subscription tests compare the two.

/** The shared Kafka pub/sub component (consumer group = app-id). */
export const PUBSUB = "pubsub";
/** ws-sync's own component on the same broker: one consumer group per instance. */
export const PUBSUB_FANOUT = "pubsub-fanout";
export const STATE_STORE = "statestore";
export const SECRET_STORE = "secretstore";

export const TOPICS = {
  taskEvents: "task-events",
  reminders: "reminders",
  taskUpdates: "task-updates",
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

export const deadLetterTopic = (topic: Topic) => `${topic}-dlq` as const;

/** Every topic the broker must have before the services start, dead letters included. */
export const ALL_TOPICS: readonly string[] = Object.values(TOPICS).flatMap((t) => [t, deadLetterTopic(t)]);

export const APP_IDS = {
  todoApi: "todo-api",
  notification: "notification",
  recurring: "recurring",
  auditLog: "audit-log",
  wsSync: "ws-sync",
  web: "web",
} as const;

export type AppId = (typeof APP_IDS)[keyof typeof APP_IDS];
