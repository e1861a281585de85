// todo-api: the producer. This skeleton serves health and readiness; tasks,
// the outbox and reminders arrive with their issue.
import { Elysia } from "elysia";
import { errorHandler, healthRoutes, sidecarReachable, type DaprClient, type Logger } from "@todo/shared";

export interface Deps {
  dapr: DaprClient;
  log: Logger;
}

export function createApp({ dapr, log }: Deps) {
  return new Elysia().use(errorHandler(log)).use(healthRoutes({ sidecar: sidecarReachable(dapr) }));
}
