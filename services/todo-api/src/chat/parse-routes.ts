// POST /api/tasks/parse: what the chat's parser reads in one sentence, as the
// fields of a new task, without creating it. The board's quick add shows it
// before adding, so there is one parser for chat and board.
import { Elysia, t } from "elysia";
import { invalid, type RateLimiter, type TokenVerifier } from "@todo/shared";
import { authentication } from "../auth/plugin.ts";
import type { UserDirectory } from "../auth/users.ts";
import { isTimeZone } from "../tasks/recurrence.ts";
import { TaskCreate } from "../tasks/model.ts";
import { ErrorBody } from "../tasks/routes.ts";
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

/** `task` is a body POST /api/tasks accepts as it is; fields the sentence did not give are absent. */
export const ParseResult = t.Object({ task: TaskCreate });

export function parseRoutes(
  verify: TokenVerifier,
  users: UserDirectory,
  limiter?: RateLimiter,
  now = () => new Date(),
) {
  return new Elysia({ prefix: "/api/tasks" }).use(authentication(verify, users, limiter)).post(
    "/parse",
    ({ body }) => {
      const timezone = body.timezone ?? "UTC";
      if (!isTimeZone(timezone)) throw invalid({ timezone: "is not an IANA time zone" });
      const intent = parseNewTask(body.text, { now: now(), timezone });
      if (intent.kind === "clarify") throw invalid({ text: intent.question });
      if (intent.args.title.length > 200) throw invalid({ text: "leaves a title longer than 200 characters" });
      return { task: intent.args };
    },
    {
      body: ParseRequest,
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
