// Debian's PostgreSQL server with its own data directory and port. Postgres
// refuses to run as root, so as root it runs as the `postgres` system user
// (or a `todo-pg` user made for the purpose). Loopback only, trust auth:
// local development, never exposed.
import { chownSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { Proc, run, step, waitFor } from "./process.ts";

export interface PostgresOptions {
  binDir: string;
  dataDir: string;
  port: number;
  databases: string[];
  logDir: string;
  echo: boolean;
  /** Trade durability for speed: for throwaway test data only. */
  ephemeral: boolean;
}

export interface Postgres {
  proc: Proc;
  version: string;
  url(database: string): string;
}

export async function startPostgres(o: PostgresOptions): Promise<Postgres> {
  const user = await runAsUser();
  const asUser = user ? ["setpriv", `--reuid=${user.uid}`, `--regid=${user.gid}`, "--init-groups", "--"] : [];
  if (!existsSync(join(o.dataDir, "PG_VERSION"))) {
    step(`Postgres: initialising ${o.dataDir}`);
    mkdirSync(dirname(o.dataDir), { recursive: true, mode: 0o755 });
    mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
    if (user) chownSync(o.dataDir, user.uid, user.gid);
    await run(
      [
        ...asUser,
        join(o.binDir, "initdb"),
        "-D",
        o.dataDir,
        "-U",
        "postgres",
        "--auth=trust",
        "-E",
        "UTF8",
        "--no-locale",
      ],
      {
        cwd: o.dataDir,
      },
    );
  }
  const settings = [
    "listen_addresses=127.0.0.1",
    "unix_socket_directories=",
    "max_connections=300",
    "log_min_messages=warning",
  ];
  if (o.ephemeral) settings.push("fsync=off", "synchronous_commit=off", "full_page_writes=off");
  const proc = new Proc({
    name: "postgres",
    cmd: [
      ...asUser,
      join(o.binDir, "postgres"),
      "-D",
      o.dataDir,
      "-p",
      String(o.port),
      ...settings.flatMap((s) => ["-c", s]),
    ],
    cwd: o.dataDir,
    logDir: o.logDir,
    echo: o.echo,
    stopSignal: "SIGINT", // "fast" shutdown: roll back open transactions, exit cleanly
  });
  const psql = (sql: string, db = "postgres") =>
    run([
      join(o.binDir, "psql"),
      "-h",
      "127.0.0.1",
      "-p",
      String(o.port),
      "-U",
      "postgres",
      "-d",
      db,
      "-v",
      "ON_ERROR_STOP=1",
      "-tAc",
      sql,
    ]);
  await waitFor(
    `Postgres on port ${o.port}`,
    async () => (await psql("select 1").catch(() => "")).trim() === "1",
    30_000,
    proc,
  );
  const existing = new Set((await psql("select datname from pg_database")).split("\n").map((s) => s.trim()));
  for (const db of o.databases) if (!existing.has(db)) await psql(`create database "${db}"`);
  const version = (await psql("show server_version")).trim();
  return { proc, version, url: (db) => `postgres://postgres@127.0.0.1:${o.port}/${db}` };
}

async function runAsUser(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  for (const name of ["postgres", "todo-pg"]) {
    const ids = await run(["id", "-u", name]).then(
      async (uid) => ({ uid: Number(uid), gid: Number(await run(["id", "-g", name])) }),
      () => null,
    );
    if (ids) return ids;
  }
  await run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "todo-pg"]);
  return { uid: Number(await run(["id", "-u", "todo-pg"])), gid: Number(await run(["id", "-g", "todo-pg"])) };
}
