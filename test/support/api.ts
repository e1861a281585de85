// A test user of the public API: its own random id, a signed token, and a
// small JSON client. Each test makes its own users, so tests never share data.
import { APP_IDS, signToken } from "@todo/shared";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { appUrl, stack } from "./stack.ts";

export function jwtSecret(): string {
  return JSON.parse(readFileSync(join(stack().repoRoot, "dapr/secrets.local.json"), "utf8"))["jwt-secret"];
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export interface TestUser {
  id: string;
  email: string;
  token: string;
  call<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
}

export async function newUser(label = "user"): Promise<TestUser> {
  const id = `${label}-${randomUUID()}`;
  const email = `${id}@example.test`;
  const token = await signToken(jwtSecret(), { sub: id, email, name: label });
  return {
    id,
    email,
    token,
    call: (method, path, body, headers = {}) => request(method, path, body, { authorization: `Bearer ${token}`, ...headers }),
  };
}

/** The same user, talking to another todo-api instance (a replica's base URL). */
export const userAt = (user: TestUser, baseUrl: string): TestUser => ({
  ...user,
  call: (method, path, body, headers = {}) => request(method, path, body, { authorization: `Bearer ${user.token}`, ...headers }, baseUrl),
});

export async function request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, baseUrl = appUrl(APP_IDS.todoApi)): Promise<ApiResponse> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] ??= "application/json";
  }
  const res = await fetch(`${baseUrl}${path}`, init);
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
