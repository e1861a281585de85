// POST /api/quick-add/parse: what the chat's parser reads in one sentence, as the
// fields of a new task, without creating it. The board's quick add shows it
// before adding, so there is one parser for chat and board.
import { Elysia, t } from "elysia";
import {
  AppError,
  checkShape,
  ErrorBody,
  invalid,
  requestBody,
  TaskCreate,
  type RateLimiter,
  type TokenVerifier,
} from "@todo/shared";
import { authentication } from "../auth/plugin.ts";
import type { UserDirectory } from "../auth/users.ts";
import { validateTaskCreate } from "../tasks/validate.ts";
import { isTimeZone, ZONE_MESSAGE } from "../tasks/recurrence.ts";
import { parseNewTask } from "./parser/intents.ts";

export const ParseRequest = t.Object(
  {
    // A title is at most 200 characters; the words for dates, tags and rules come on top.
    text: t.String({ minLength: 1, maxLength: 400, examples: ["pay rent every month on the 1st at 9am #home !high"] }),
    timezone: t.Optional(
      t.String({
        minLength: 1,
        maxLength: 64,
        description: "IANA zone dates are read in; default UTC",
        examples: ["Europe/Berlin"],
      }),
    ),
  },
  { additionalProperties: false },
);

/** The request's one check: the shape, then a time zone that exists. */
function validateParseRequest(body: unknown) {
  const request = checkShape(ParseRequest, body);
  if (request.timezone && !isTimeZone(request.timezone)) throw invalid({ timezone: ZONE_MESSAGE });
  return request;
}

/** `task` is a body POST /api/tasks accepts as it is; fields the sentence did not give are absent. */
export const ParseResult = t.Object({ task: TaskCreate });

/**
 * What the parser read must pass the create route's validator (a title of at most
 * 200 characters, tags of at most 40, a date before 9999…); if not, the sentence is at fault.
 */
function creatable(task: TaskCreate) {
  try {
    validateTaskCreate(task);
  } catch (err) {
    if (!(err instanceof AppError) || !err.fields) throw err;
    const [[field, message]] = Object.entries(err.fields) as [[string, string]];
    throw invalid({ text: `reads as a task that cannot be stored (${field} ${message})` });
  }
}

export function parseRoutes(
  verify: TokenVerifier,
  users: UserDirectory,
  limiter?: RateLimiter,
  now = () => new Date(),
) {
  // Not under /api/tasks: there "parse" would also match /api/tasks/:id (GET, PATCH, DELETE).
  return new Elysia({ prefix: "/api/quick-add" }).use(authentication(verify, users, limiter)).post(
    "/parse",
    ({ body }) => {
      const intent = parseNewTask(body.text, { now: now(), timezone: body.timezone ?? "UTC" });
      if (intent.kind === "clarify") throw invalid({ text: intent.question });
      creatable(intent.args);
      return { task: intent.args };
    },
    {
      body: requestBody(ParseRequest, validateParseRequest),
      response: { 200: ParseResult, 401: ErrorBody, 422: ErrorBody, 429: ErrorBody },
      detail: {
        tags: ["tasks"],
        summary: "Read a sentence as a new task, without creating it",
        description:
          "Title, due time, reminder, recurrence, priority (`!high`) and tags (`#home`) as the chat understands them; dates in `timezone`. 422 naming `text` when no title is left.",
      },
    },
  );
}
