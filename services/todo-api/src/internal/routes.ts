// Methods other services call through Dapr service invocation. Only the
// sidecar (which sends the app token) may call them; anyone else gets 404.
// Their bodies are @todo/shared's contracts (shared/src/contracts/invocations.ts),
// checked with the rules a schema cannot state by tasks/validate.ts.
import { Elysia } from "elysia";
import { appTokenGuard, Contact, notFound, OccurrenceResult } from "@todo/shared";
import type { UserDirectory } from "../auth/users.ts";
import type { TaskService } from "../tasks/service.ts";
import { occurrenceBody } from "../tasks/validate.ts";

export function internalRoutes(service: TaskService, users: UserDirectory, appToken: string | undefined) {
  return new Elysia({ prefix: "/internal", detail: { hide: true } })
    .use(appTokenGuard(appToken))
    .get(
      "/users/:id/contact",
      async ({ params }) => {
        const contact = await users.contact(params.id);
        if (!contact) throw notFound("User not found");
        return contact;
      },
      { response: { 200: Contact } },
    )
    .post(
      "/occurrences",
      async ({ body, set }) => {
        const { task, created } = await service.createOccurrence(body);
        set.status = created ? 201 : 200;
        return { task, created };
      },
      { body: occurrenceBody, response: { 200: OccurrenceResult, 201: OccurrenceResult } },
    );
}
