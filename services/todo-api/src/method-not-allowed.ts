// A request for a path we serve with a method we don't answers 405 with an
// Allow header, not 404: the resource exists, the method does not (Elysia
// workaround 9, docs/architecture.md).
import { Elysia } from "elysia";
import { errorBody } from "@todo/shared";

type Routes = { method: string; path: string }[];

const pattern = (path: string) => new RegExp(`^${path.replace(/:[^/]+/g, "[^/]+").replace(/\*$/, ".*")}/?$`);

export function methodNotAllowed(routes: () => Routes) {
  let compiled: { method: string; re: RegExp }[] | undefined;
  return new Elysia().onError({ as: "global" }, ({ code, request, set }) => {
    if (code !== "NOT_FOUND") return;
    compiled ??= routes().map((r) => ({ method: r.method, re: pattern(r.path) }));
    const path = new URL(request.url).pathname;
    const allowed = [...new Set(compiled.filter((r) => r.re.test(path)).map((r) => r.method))].filter(
      (m) => m !== request.method,
    );
    if (!allowed.length) return;
    set.status = 405;
    set.headers.allow = allowed.join(", ");
    return errorBody("method_not_allowed", `${request.method} is not allowed here; use ${allowed.join(", ")}`);
  });
}
