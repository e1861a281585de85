// Methods other services call through Dapr service invocation. Only the
// sidecar (which sends the app token) may call them; anyone else gets 404.
import { Elysia, t } from "elysia";
import { appTokenGuard, notFound } from "@todo/shared";
import type { UserDirectory } from "../auth/users.ts";
import { TaskCreate } from "../tasks/model.ts";
import type { TaskService } from "../tasks/service.ts";

export const OccurrenceBody = t.Composite([
  TaskCreate,
  t.Object({
    user_id: t.String({ minLength: 1, maxLength: 255 }),
    series_id: t.String({ format: "uuid" }),
    occurrence: t.Integer({ minimum: 2 }),
    /** The series' anchor (TaskSeries in @todo/shared); a recurring that predates it sends none, and the due time is then the anchor. */
    series_anchor_at: t.Optional(t.Nullable(t.String({ format: "date-time" }))),
  }),
]);

export function internalRoutes(service: TaskService, users: UserDirectory, appToken: string | undefined) {
  return new Elysia({ prefix: "/internal", detail: { hide: true } })
    .use(appTokenGuard(appToken))
    .get(
      "/users/:id/contact",
      async ({ params }) => (await users.contact(params.id)) ?? Promise.reject(notFound("User not found")),
    )
    .post(
      "/occurrences",
      async ({ body, set }) => {
        const { task, created } = await service.createOccurrence(body);
        set.status = created ? 201 : 200;
        return { task, created };
      },
      { body: OccurrenceBody },
    );
}
