// One error type per failure a caller can act on, mapped to an HTTP status in
// one place. Every error body has the contract's shape, ErrorBody
// (contracts/errors.ts): { "error": { "code", "message", "fields"? } }.
import { Elysia, type ValidationError } from "elysia";
import type { ErrorBody } from "./contracts/errors.ts";
import type { Logger } from "./log.ts";

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what = "Not found") => new AppError(404, "not_found", what);
export const unauthorized = (why = "A valid bearer token is required") => new AppError(401, "unauthorized", why);
export const conflict = (why: string) => new AppError(409, "conflict", why);
export const invalid = (fields: Record<string, string>) =>
  new AppError(422, "invalid", `Invalid ${Object.keys(fields).join(", ")}`, fields);

export function errorBody(code: string, message: string, fields?: Record<string, string>): ErrorBody {
  return { error: fields ? { code, message, fields } : { code, message } };
}

interface Issue {
  path?: string;
  message?: string;
  summary?: string;
  errors?: Iterable<Issue>[];
}

/**
 * A failed union (say `recurrence`: null or an object) reports itself; the
 * useful part is inside the variant that matched the value's type, so we
 * descend into it to name `recurrence.timezone` instead of `recurrence`.
 */
function innermost(issue: Issue): Issue[] {
  const variants = (issue.errors ?? []).map((it) => [...it]);
  const inside = variants.find((v) => v.length > 0 && v.every((e) => e.path !== issue.path));
  return inside ? inside.flatMap(innermost) : [issue];
}

/**
 * Names each invalid field of a list of schema issues (TypeBox's or
 * Elysia's) by its path without the leading slash; an issue about the whole
 * value is named `root`. The first message per field wins.
 */
export function fieldsOf(issues: Iterable<Issue>, root: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of [...issues].flatMap(innermost)) {
    const path = issue.path ? issue.path.replace(/^\//, "").replaceAll("/", ".") : "";
    fields[path || root] ??= issue.summary || issue.message || "is invalid";
  }
  return fields;
}

/**
 * Names each invalid field of an Elysia validation failure; where the name
 * hides is Elysia workaround 5 (docs/architecture.md, "Elysia workarounds").
 */
export function validationFields(error: ValidationError): Record<string, string> {
  const loose = error as unknown as { all?: Issue[]; valueError?: Issue; error?: Issue };
  const issues = loose.all ?? [loose.valueError ?? loose.error ?? {}];
  return fieldsOf(issues, (error.type === "body" ? "body" : error.type) || "request");
}

// postgres.js connection failures and Postgres' own "shutting down" codes.
const UNAVAILABLE = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "57P01",
  "57P02",
  "57P03",
]);

function isDatabaseUnavailable(error: unknown): boolean {
  for (
    let e = error as { code?: string; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    e = e.cause as typeof e, depth++
  ) {
    if (e.code && UNAVAILABLE.has(e.code)) return true;
  }
  return false;
}

export function errorHandler(log: Logger) {
  return new Elysia({ name: "error-handler" }).onError({ as: "global" }, ({ code, error, set, request }) => {
    if (error instanceof AppError) {
      set.status = error.status;
      return errorBody(error.code, error.message, error.fields);
    }
    switch (code) {
      case "VALIDATION": {
        if ((error as ValidationError).type === "response") {
          // Our answer broke our own schema: a bug on our side, not the caller's.
          log.error("response does not match its schema", {
            method: request.method,
            path: new URL(request.url).pathname,
            error: (error as Error).message.slice(0, 1000),
          });
          set.status = 500;
          return errorBody("internal", "Internal server error");
        }
        let fields: Record<string, string>;
        try {
          fields = validationFields(error as ValidationError);
        } catch {
          fields = { request: "is invalid" };
        }
        set.status = 422;
        return errorBody("invalid", `Invalid ${Object.keys(fields).join(", ")}`, fields);
      }
      case "PARSE":
        set.status = 400;
        return errorBody("malformed", "The request body is not valid JSON");
      case "NOT_FOUND":
        set.status = 404;
        return errorBody("not_found", "Not found");
      case "INVALID_COOKIE_SIGNATURE":
        set.status = 400;
        return errorBody("malformed", "Invalid cookie");
    }
    if (isDatabaseUnavailable(error)) {
      // A database restart or failover: the request did not happen; trying again will work.
      set.status = 503;
      set.headers["retry-after"] = "1";
      return errorBody("unavailable", "The database is not reachable right now; retry shortly");
    }
    if ((error as { status?: number }).status === 413) {
      set.status = 413;
      return errorBody("too_large", "The request body is too large");
    }
    log.error("unhandled error", { method: request.method, path: new URL(request.url).pathname, error });
    set.status = 500;
    return errorBody("internal", "Internal server error");
  });
}
