// Calls to the API through this origin (/api/*), with the signed-in token.
// The shapes are @todo/shared's contracts, imported as types only: they are
// erased from the bundle, so no server code reaches the browser.
import type { ErrorBody } from "@todo/shared/contracts/errors";
import type { Task } from "@todo/shared/contracts/task";

export type { Task };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function tokenStore() {
  return {
    get: () => sessionStorage.getItem("token"),
    set: (token: string) => sessionStorage.setItem("token", token),
    clear: () => sessionStorage.removeItem("token"),
  };
}

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${tokenStore().get() ?? ""}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`/api${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = (json as Partial<ErrorBody> | null)?.error;
    const fields = error?.fields
      ? ` (${Object.entries(error.fields)
          .map(([k, v]) => `${k}: ${v}`)
          .join("; ")})`
      : "";
    throw new ApiError(res.status, `${error?.message ?? res.statusText}${fields}`);
  }
  return json as T;
}
