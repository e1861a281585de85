// What the sidecars must refuse (docs/security.md), tried through the real
// sidecars of the running stack: calls outside a caller's policy, publishing
// outside an app's topics, secrets outside an app's scope, and a client
// without a certificate from our Sentry at a sidecar's internal gRPC port.
// The allowed paths are the rest of the suite; a few sit here beside their
// refused twins, so a refusal cannot come from a path that never worked.
import { describe, expect, test } from "bun:test";
import { APP_IDS, PUBSUB, PUBSUB_FANOUT, SECRET_STORE, TOPICS, type AppId } from "@todo/shared";
import { Database } from "bun:sqlite";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { newUser } from "../support/api.ts";
import { eventually, stack } from "../support/stack.ts";

/** One call to an app's own sidecar, as that app would make it. */
async function viaSidecar(appId: AppId, method: string, path: string, body?: unknown) {
  const s = stack();
  const res = await fetch(`http://127.0.0.1:${s.ports.services[appId].daprHttp}${path}`, {
    method,
    headers: { "dapr-api-token": s.tokens.dapr, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

const invoke = (caller: AppId, callee: AppId, method: string, path: string, body?: unknown) =>
  viaSidecar(caller, method, `/v1.0/invoke/${callee}/method/${path}`, body);

function expectDenied(res: { status: number; text: string }, caller: AppId) {
  expect(res.status).toBe(403);
  expect(res.text).toContain("access control policy has denied access");
  expect(res.text).toContain(`spiffe://public/ns/todo/${caller}`);
}

describe("service invocation is refused outside the caller's policy", () => {
  test("web's sidecar cannot read a contact or create an occurrence: nothing read, nothing created, nothing in audit-log", async () => {
    const victim = await newUser("victim");
    await victim.call("GET", "/api/tasks"); // records the victim's contact
    const contact = await invoke(APP_IDS.web, APP_IDS.todoApi, "GET", `internal/users/${victim.id}/contact`);
    expectDenied(contact, APP_IDS.web);
    expect(contact.text).not.toContain(victim.email);

    const occurrence = {
      user_id: victim.id,
      series_id: randomUUID(),
      occurrence: 1,
      title: "planted by web",
      recurrence: { rule: "FREQ=DAILY", timezone: "UTC" },
    };
    expectDenied(await invoke(APP_IDS.web, APP_IDS.todoApi, "POST", "internal/occurrences", occurrence), APP_IDS.web);
    // A path that climbs out of /api is judged where it lands.
    expectDenied(
      await invoke(APP_IDS.web, APP_IDS.todoApi, "POST", "api/../internal/occurrences", occurrence),
      APP_IDS.web,
    );

    // The victim's own next task is the marker: once audit-log has it, it would have had the planted one too.
    const { body: own } = await victim.call("POST", "/api/tasks", { title: "my own" });
    const { body: list } = await victim.call("GET", "/api/tasks");
    expect(list.items.map((t: { title: string }) => t.title)).toEqual(["my own"]);
    const audit = postgres(stack().databases.audit!, { max: 1, onnotice: () => {} });
    try {
      const rows = await eventually("audit-log to record the victim's own task", async () => {
        const found = await audit`select task_id, source from audit_events where user_id = ${victim.id}`;
        return found.length ? found : undefined;
      });
      expect(rows.map((r) => [Number(r.task_id), r.source])).toEqual([[own.id, APP_IDS.todoApi]]);
    } finally {
      await audit.end();
    }
  });

  test("web's sidecar still reaches todo-api's public API and health routes", async () => {
    expect((await invoke(APP_IDS.web, APP_IDS.todoApi, "GET", "healthz")).status).toBe(200);
    // 401 from todo-api itself: the call got through, the user's token is todo-api's own check.
    expect((await invoke(APP_IDS.web, APP_IDS.todoApi, "GET", "api/tasks")).status).toBe(401);
  });

  test("notification cannot create occurrences; it reads one user's contact and nothing else", async () => {
    const user = await newUser("contact-only");
    await user.call("GET", "/api/tasks");
    const occurrence = {
      user_id: user.id,
      series_id: randomUUID(),
      occurrence: 1,
      title: "planted by notification",
      recurrence: { rule: "FREQ=DAILY", timezone: "UTC" },
    };
    expectDenied(
      await invoke(APP_IDS.notification, APP_IDS.todoApi, "POST", "internal/occurrences", occurrence),
      APP_IDS.notification,
    );
    expectDenied(
      await invoke(APP_IDS.notification, APP_IDS.todoApi, "GET", `internal/users/${user.id}/extra/contact`),
      APP_IDS.notification,
    );
    expectDenied(await invoke(APP_IDS.notification, APP_IDS.todoApi, "GET", "api/tasks"), APP_IDS.notification);
    expect(
      (await invoke(APP_IDS.notification, APP_IDS.todoApi, "GET", `internal/users/${user.id}/contact`)).status,
    ).toBe(200);
    const { body: list } = await user.call("GET", "/api/tasks");
    expect(list.items).toEqual([]);
  });

  test("recurring cannot read contacts", async () => {
    const user = await newUser("private");
    await user.call("GET", "/api/tasks");
    const res = await invoke(APP_IDS.recurring, APP_IDS.todoApi, "GET", `internal/users/${user.id}/contact`);
    expectDenied(res, APP_IDS.recurring);
    expect(res.text).not.toContain(user.email);
  });

  test("todo-api reaches only audit-log's history and notification's feed and mark-read", async () => {
    expect((await invoke(APP_IDS.todoApi, APP_IDS.auditLog, "GET", "history?task_id=1&user_id=nobody")).status).toBe(
      200,
    );
    expect((await invoke(APP_IDS.todoApi, APP_IDS.notification, "GET", "notifications?user_id=nobody")).status).toBe(
      200,
    );
    expectDenied(await invoke(APP_IDS.todoApi, APP_IDS.notification, "POST", "notifications", {}), APP_IDS.todoApi);
    expectDenied(await invoke(APP_IDS.todoApi, APP_IDS.notification, "GET", "notifications/1/read"), APP_IDS.todoApi);
    expectDenied(await invoke(APP_IDS.todoApi, APP_IDS.auditLog, "GET", "readyz"), APP_IDS.todoApi);
    expectDenied(await invoke(APP_IDS.todoApi, APP_IDS.recurring, "GET", "healthz"), APP_IDS.todoApi);
  });

  test("nothing else calls anything", async () => {
    const tries: [AppId, AppId, string][] = [
      [APP_IDS.web, APP_IDS.auditLog, "history?task_id=1&user_id=nobody"],
      [APP_IDS.web, APP_IDS.notification, "notifications?user_id=nobody"],
      [APP_IDS.wsSync, APP_IDS.todoApi, "api/tasks"],
      [APP_IDS.auditLog, APP_IDS.todoApi, "healthz"],
      [APP_IDS.recurring, APP_IDS.notification, "notifications?user_id=nobody"],
      [APP_IDS.notification, APP_IDS.wsSync, "healthz"],
      [APP_IDS.todoApi, APP_IDS.web, "healthz"],
    ];
    for (const [caller, callee, path] of tries) expectDenied(await invoke(caller, callee, "GET", path), caller);
  });
});

describe("pub/sub is refused outside an app's topics", () => {
  const publish = (appId: AppId, pubsub: string, topic: string) =>
    viaSidecar(
      appId,
      "POST",
      `/v1.0/publish/${pubsub}/${topic}?metadata.partitionKey=zero-trust&metadata.cloudevent.id=${randomUUID()}`,
      { planted: true },
    );

  test("a consumer's sidecar cannot publish to task-events or reminders", async () => {
    for (const [appId, topic] of [
      [APP_IDS.notification, TOPICS.taskEvents],
      [APP_IDS.recurring, TOPICS.reminders],
      [APP_IDS.auditLog, TOPICS.reminders],
      [APP_IDS.auditLog, TOPICS.taskEvents],
      [APP_IDS.recurring, TOPICS.taskUpdates],
    ] as const) {
      const res = await publish(appId, PUBSUB, topic);
      expect([appId, topic, res.status]).toEqual([appId, topic, 403]);
      expect(res.text).toContain("ERR_PUBSUB_FORBIDDEN");
    }
    const fanout = await publish(APP_IDS.wsSync, PUBSUB_FANOUT, TOPICS.taskUpdates);
    expect(fanout.status).toBe(403);
  });

  test("todo-api cannot publish to a dead-letter topic, which only a consumer's sidecar fills", async () => {
    expect((await publish(APP_IDS.todoApi, PUBSUB, "task-events-dlq")).status).toBe(403);
  });
});

describe("secrets are refused outside an app's scope", () => {
  const secret = (appId: AppId, name: string) => viaSidecar(appId, "GET", `/v1.0/secrets/${SECRET_STORE}/${name}`);

  test("each app reads only its own secrets", async () => {
    for (const [appId, name] of [
      [APP_IDS.notification, "jwt-secret"],
      [APP_IDS.recurring, "smtp-password"],
      [APP_IDS.auditLog, "jwt-secret"],
      [APP_IDS.wsSync, "llm-api-key"],
      [APP_IDS.web, "smtp-password"],
      [APP_IDS.todoApi, "smtp-password"],
    ] as const) {
      const res = await secret(appId, name);
      expect([appId, name, res.status]).toEqual([appId, name, 403]);
      expect(res.text).toContain("ERR_PERMISSION_DENIED");
    }
    expect((await secret(APP_IDS.notification, "smtp-password")).status).toBe(200);
  });
});

describe("a sidecar's internal gRPC port", () => {
  /** Where other sidecars reach `appId`: its entry in the shared name-resolution file. */
  function internalAddress(appId: AppId): string {
    const db = new Database(stack().security!.nameResolutionDb, { readonly: true });
    try {
      const row = db
        .query("select address from hosts where app_id = ? order by last_update desc limit 1")
        .get(appId) as { address: string } | null;
      if (!row) throw new Error(`${appId} is not in name resolution`);
      return row.address;
    } finally {
      db.close();
    }
  }

  /**
   * A TLS client speaking HTTP/2 (gRPC's transport), with or without a client
   * certificate (its file's whole chain is sent: Sentry's leaves need their issuer).
   * openssl, because Bun's TLS client does not complete a handshake with a gRPC server.
   */
  async function tlsClient(address: string, cert?: { cert: string; key: string }) {
    const child = Bun.spawn(
      [
        "openssl",
        "s_client",
        "-connect",
        address,
        "-alpn",
        "h2",
        "-quiet",
        "-ign_eof",
        ...(cert ? ["-cert", cert.cert, "-cert_chain", cert.cert, "-key", cert.key] : []),
      ],
      { stdin: "pipe", stdout: "pipe", stderr: "pipe" },
    );
    // The HTTP/2 preface and an empty SETTINGS frame: a gRPC server answers with its own SETTINGS.
    child.stdin.write(
      Buffer.concat([Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]),
    );
    child.stdin.flush();
    const watchdog = setTimeout(() => child.kill(), 5_000);
    const [out, err] = await Promise.all([
      new Response(child.stdout).arrayBuffer(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    clearTimeout(watchdog);
    return { answered: out.byteLength > 0, stderr: err };
  }

  test("refuses a client without a certificate, or with one from another CA; a certificate from our Sentry gets an answer", async () => {
    const address = internalAddress(APP_IDS.todoApi);
    expect(address).toStartWith("127.0.0.1:");

    const none = await tlsClient(address);
    expect(none.answered).toBe(false);
    expect(none.stderr).toContain("certificate required");

    const dir = mkdtempSync(join(tmpdir(), "zero-trust-"));
    try {
      const foreign = { cert: join(dir, "cert.pem"), key: join(dir, "key.pem") };
      const made = Bun.spawnSync([
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ed25519",
        "-nodes",
        "-subj",
        "/O=someone else",
        "-days",
        "1",
        "-keyout",
        foreign.key,
        "-out",
        foreign.cert,
      ]);
      expect(made.exitCode).toBe(0);
      const stranger = await tlsClient(address, foreign);
      expect(stranger.answered).toBe(false);
      expect(stranger.stderr).toMatch(/alert (unknown ca|bad certificate)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // The control: the Scheduler's own certificate from our Sentry completes the handshake and gets HTTP/2 back.
    const ours = stack().security!.schedulerIdentityDir;
    const member = await tlsClient(address, { cert: join(ours, "cert.pem"), key: join(ours, "key.pem") });
    expect(member.answered).toBe(true);
  });
});
