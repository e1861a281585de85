// Calls to the API through this origin (/api/*), with the signed-in token.
export interface Task {
  id: number;
  title: string;
  description: string;
  priority: "low" | "medium" | "high";
  tags: string[];
  completed: boolean;
  due_at: string | null;
  remind_at: string | null;
  recurrence: { rule: string; timezone: string } | null;
  occurrence: number | null;
}

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

export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${tokenStore().get() ?? ""}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`/api${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const json: any = await res.json().catch(() => null);
  if (!res.ok) {
    const fields = json?.error?.fields
      ? ` (${Object.entries(json.error.fields)
          .map(([k, v]) => `${k}: ${v}`)
          .join("; ")})`
      : "";
    throw new ApiError(res.status, `${json?.error?.message ?? res.statusText}${fields}`);
  }
  return json as T;
}
