// A test user of the public API: its own random id, a signed token, and a
// small JSON client. Each test makes its own users, so tests never share data.
import { APP_IDS, signToken } from "@todo/shared";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { quickHandler, quickInfo } from "./quick.ts";
import { appUrl, stack } from "./stack.ts";

// In the quick tier (QUICK_INFO set) requests go to an in-process todo-api; otherwise to the running stack's.
const quick = quickInfo();

export function jwtSecret(): string {
  const repoRoot = quick?.repoRoot ?? stack().repoRoot;
  return JSON.parse(readFileSync(join(repoRoot, "dapr/secrets.local.json"), "utf8"))["jwt-secret"];
}

const send = async (path: string, init: RequestInit, baseUrl?: string): Promise<Response> => {
  if (baseUrl) return fetch(`${baseUrl}${path}`, init);
  return quick
    ? (await quickHandler(quick, jwtSecret()))(new Request(`http://todo-api.quick${path}`, init))
    : fetch(appUrl(APP_IDS.todoApi, path), init);
};

export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export interface TestUser {
  id: string;
  email: string;
  token: string;
  call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse<T>>;
}

export async function newUser(label = "user"): Promise<TestUser> {
  const id = `${label}-${randomUUID()}`;
  const email = `${id}@example.test`;
  const token = await signToken(jwtSecret(), { sub: id, email, name: label });
  return {
    id,
    email,
    token,
    call: (method, path, body, headers = {}) =>
      request(method, path, body, { authorization: `Bearer ${token}`, ...headers }),
  };
}

/** The same user, talking to another todo-api instance (a replica's base URL). */
export const userAt = (user: TestUser, baseUrl: string): TestUser => ({
  ...user,
  call: (method, path, body, headers = {}) =>
    request(method, path, body, { authorization: `Bearer ${user.token}`, ...headers }, baseUrl),
});

/** `baseUrl`: another todo-api instance than the stack's first (a replica). */
export async function request(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  baseUrl?: string,
): Promise<ApiResponse> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] ??= "application/json";
  }
  const res = await send(path, init, baseUrl);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // keep the text
  }
  return { status: res.status, body: parsed };
}

export const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
