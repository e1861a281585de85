// The one step that validates a request: its schema (the shape) and then the
// rules a schema cannot state, in one function per request kind that
// returns the normalized input or throws a 422 naming each bad field. Routes
// hand that function to Elysia as the body's schema (requestBody), so
// Elysia's own check never runs beside it; tools and the chat call the same
// function directly.
import type { Static, TSchema } from "@sinclair/typebox";
import { TypeCompiler, type TypeCheck } from "@sinclair/typebox/compiler";
import { fieldsOf, invalid } from "./errors.ts";

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

/**
 * The value, typed, if it has the schema's shape; else a 422 naming every
 * field that does not (`root` names a problem with the value as a whole).
 */
export function checkShape<S extends TSchema>(schema: S, value: unknown, root = "body"): Static<S> {
  let check = compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  if (!check.Check(value)) throw invalid(fieldsOf(check.Errors(value), root));
  return value as Static<S>;
}

/**
 * A request body's validator as a Standard Schema (standardschema.dev), the
 * form Elysia runs in place of its own check and @elysiajs/openapi documents
 * by the TypeBox schema given. It throws the 422 instead of returning
 * issues, so the error handler answers it as it is: Elysia would run the
 * validator twice more to describe issues, and name a whole-body problem
 * `root`. Elysia workaround 13 (docs/architecture.md).
 */
export function requestBody<S extends TSchema, T>(schema: S, validate: (body: unknown) => T): RequestBody<S, T> {
  return {
    "~standard": {
      version: 1,
      vendor: "todo-platform",
      validate: (value) => ({ value: validate(value) }),
      jsonSchema: { input: () => schema, output: () => schema },
    },
  };
}

/** The part of the Standard Schema interface (v1) Elysia and @elysiajs/openapi read. */
export interface RequestBody<S extends TSchema, T> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => { value: T };
    readonly jsonSchema: { input: () => S; output: () => S };
    readonly types?: { readonly input: Static<S>; readonly output: T };
  };
}
