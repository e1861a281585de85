// The public task API (docs/architecture.md, "The task API").
import { Elysia } from "elysia";
import { Task, TaskPage, type RateLimiter, type TokenVerifier } from "@todo/shared";
import { authentication } from "../auth/plugin.ts";
import { errors } from "../error-responses.ts";
import type { UserDirectory } from "../auth/users.ts";
import { checkRowId, TaskIdParams, TaskQuery } from "./model.ts";
import type { TaskService } from "./service.ts";
import { taskCreateBody, taskPatchBody } from "./validate.ts";

const tags = ["tasks"];

export function taskRoutes(service: TaskService, verify: TokenVerifier, users: UserDirectory, limiter?: RateLimiter) {
  return new Elysia({ prefix: "/api/tasks" })
    .use(authentication(verify, users, limiter))
    .onBeforeHandle(checkRowId)
    .post(
      "",
      async ({ user, body, set }) => {
        set.status = 201;
        return service.create(user.userId, body);
      },
      { body: taskCreateBody, response: { 201: Task, ...errors }, detail: { tags, summary: "Create a task" } },
    )
    .get("", ({ user, query }) => service.list(user.userId, query), {
      query: TaskQuery,
      response: { 200: TaskPage, ...errors },
      detail: {
        tags,
        summary: "List the caller's tasks",
        description: "Filters combine with AND. due_after is inclusive, due_before exclusive.",
      },
    })
    .get("/:id", ({ user, params }) => service.get(user.userId, params.id), {
      params: TaskIdParams,
      response: { 200: Task, ...errors },
      detail: { tags, summary: "Get one task" },
    })
    .patch("/:id", ({ user, params, body }) => service.update(user.userId, params.id, body), {
      params: TaskIdParams,
      body: taskPatchBody,
      response: { 200: Task, ...errors },
      detail: { tags, summary: "Change some fields of a task" },
    })
    .post("/:id/complete", ({ user, params }) => service.complete(user.userId, params.id), {
      params: TaskIdParams,
      response: { 200: Task, ...errors },
      detail: { tags, summary: "Complete a task (409 if already completed)" },
    })
    .post("/:id/reopen", ({ user, params }) => service.reopen(user.userId, params.id), {
      params: TaskIdParams,
      response: { 200: Task, ...errors },
      detail: { tags, summary: "Reopen a completed task (409 if open)" },
    })
    .delete(
      "/:id",
      async ({ user, params, set }) => {
        await service.remove(user.userId, params.id);
        set.status = 204;
      },
      // The 204 is documented by openapi.ts: Elysia workaround 10 (docs/architecture.md).
      { params: TaskIdParams, response: errors, detail: { tags, summary: "Delete a task" } },
    );
}
