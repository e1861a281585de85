// The task tools that MCP clients and the chat's model call. Each one is a
// thin shell over TaskService, the same domain service REST uses, so a change
// made through a tool emits the same events and schedules the same reminders.
// Input schemas are the REST schemas (TypeBox is JSON Schema), and each
// tool's arguments pass the same validator as the REST body, so the three
// front doors accept exactly the same input.
import { t, type Static, type TSchema } from "elysia";
import { AppError, checkShape, TaskCreate, TaskPatch } from "@todo/shared";
import { TaskQuery } from "../tasks/model.ts";
import type { TaskService } from "../tasks/service.ts";
import { validateTaskCreate, validateTaskPatch } from "../tasks/validate.ts";

export const TOOL_NAMES = [
  "add_task",
  "list_tasks",
  "get_task",
  "update_task",
  "complete_task",
  "reopen_task",
  "delete_task",
] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

const Id = t.Integer({ minimum: 1, description: "the task's id, as returned by add_task or list_tasks" });
const ById = t.Object({ id: Id }, { additionalProperties: false });

const DATES =
  "Date-times are ISO 8601 with an offset (2026-12-01T09:00:00Z or 2026-12-01T10:00:00+01:00); answers are always in UTC.";

// Arguments that are not an object's fields are named `arguments`, as MCP calls them.
const ROOT = "arguments";

interface Tool {
  name: ToolName;
  description: string;
  /** What MCP clients and the model are shown. */
  inputSchema: TSchema;
  /** The one check of the arguments: the normalized input, or a 422 naming each bad field. */
  validate(args: unknown): unknown;
  run(service: TaskService, userId: string, input: never): Promise<unknown>;
}

const tool = <S extends TSchema, I>(
  name: ToolName,
  description: string,
  inputSchema: S,
  validate: (args: unknown) => I,
  run: (s: TaskService, u: string, input: I) => Promise<unknown>,
): Tool => ({ name, description, inputSchema, validate, run: run as Tool["run"] });

/** A tool whose arguments need nothing beyond their schema. */
const shaped = <S extends TSchema>(
  name: ToolName,
  description: string,
  inputSchema: S,
  run: (s: TaskService, u: string, input: Static<S>) => Promise<unknown>,
) => tool(name, description, inputSchema, (args) => checkShape(inputSchema, args, ROOT), run);

const UpdateArgs = t.Object({ id: Id, ...TaskPatch.properties }, { additionalProperties: false, minProperties: 2 });

export const TOOLS: readonly Tool[] = [
  tool(
    "add_task",
    `Create a task for the user. Only title is required. priority defaults to medium. remind_at must not be after due_at. recurrence repeats the task: after each completion the next occurrence is created. ${DATES}`,
    TaskCreate,
    (args) => validateTaskCreate(args, ROOT),
    (s, u, fields) => s.create(u, fields),
  ),
  shaped(
    "list_tasks",
    "List the user's tasks, newest first unless sorted. Filters combine with AND: status (open, completed, all; default all), priority, tag (every tag given must be present), q (full-text search in title and description), due_after (inclusive) and due_before (exclusive). Pages hold up to limit tasks (1 to 100, default 20); pass next_cursor back as cursor for the next page.",
    TaskQuery,
    (s, u, a) => s.list(u, a),
  ),
  shaped("get_task", "Get one of the user's tasks by id, with every field.", ById, (s, u, a) => s.get(u, a.id)),
  tool(
    "update_task",
    `Change some fields of a task: give its id and only the fields to change. null clears due_at, remind_at or recurrence. tags replaces the whole list. To complete or reopen use complete_task or reopen_task. ${DATES}`,
    UpdateArgs,
    (args) => {
      const { id, ...patch } = checkShape(UpdateArgs, args, ROOT);
      return { id, changes: validateTaskPatch(patch, ROOT) };
    },
    (s, u, { id, changes }) => s.update(u, id, changes),
  ),
  shaped(
    "complete_task",
    "Mark an open task as completed. A recurring task's next occurrence is then created on its own.",
    ById,
    (s, u, a) => s.complete(u, a.id),
  ),
  shaped("reopen_task", "Mark a completed task as open again.", ById, (s, u, a) => s.reopen(u, a.id)),
  shaped("delete_task", "Delete a task for good (its reminder is cancelled).", ById, async (s, u, a) => {
    await s.remove(u, a.id);
    return { deleted: true, id: a.id };
  }),
];

const byName = new Map(TOOLS.map((x) => [x.name, x]));

export type ToolOutcome =
  | { ok: true; result: unknown }
  | { ok: false; error: { code: string; message: string; fields?: Record<string, string> } };

/**
 * Runs one tool for one user. Failures the caller can act on (bad input, not
 * found, conflict) come back as an outcome to show the client or the model;
 * anything else is a bug or an outage and is thrown.
 */
export async function runTool(service: TaskService, userId: string, name: string, args: unknown): Promise<ToolOutcome> {
  const found = byName.get(name as ToolName);
  if (!found) return { ok: false, error: { code: "unknown_tool", message: `There is no tool named ${name}` } };
  try {
    const input = found.validate(args ?? {});
    return { ok: true, result: await found.run(service, userId, input as never) };
  } catch (err) {
    if (err instanceof AppError)
      return {
        ok: false,
        error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) },
      };
    throw err;
  }
}
