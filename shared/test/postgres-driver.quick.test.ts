// postgres.js 3.4.9 as patched (patches/postgres@3.4.9.patch), against a real
// Postgres. A connection whose socket closes while a small write waits for
// its setImmediate must still serve the next query. Unpatched, the timer was
// cancelled but never cleared, so after the reconnect no write was flushed
// again: in the fault suite, recurring's transactions sat in Postgres as
// "active, ClientRead" for minutes after a Postgres restart, and its
// consumer group stopped.
import { afterAll, expect, test } from "bun:test";
import { connect as connectTcp, type Socket } from "node:net";
import postgres from "postgres";
import { quickInfo } from "../../test/support/quick.ts";

const info = quickInfo();
if (!info) throw new Error("a quick-tier test: run it with `bun run test:quick`");
const url = new URL(info.databaseUrl);

const sockets: Socket[] = [];
// `socket` is a documented option that the type declarations leave out.
const sql = postgres(info.databaseUrl, {
  max: 1,
  // Short, so the unpatched driver fails here instead of hanging the test.
  connect_timeout: 3,
  onnotice: () => {},
  // A plain TCP socket that the test can close at a moment of its choosing.
  socket: () =>
    new Promise<Socket>((resolve, reject) => {
      const s = connectTcp(Number(url.port), url.hostname, () => resolve(s));
      s.once("error", reject);
      sockets.push(s);
    }),
} as postgres.Options<Record<string, postgres.PostgresType>>);
afterAll(() => sql.end({ timeout: 1 }));

test("a connection closed with a write still buffered serves the next query after it reconnects", async () => {
  expect(Array.from(await sql`select 1 as n`)).toEqual([{ n: 1 }]);
  // The query's bytes wait for setImmediate; the close (a nextTick) comes first.
  const cut = sql`select 2 as n`.execute();
  sockets.at(-1)!.destroy();
  expect(
    await cut.then(
      () => "answered",
      (err: Error & { code?: string }) => err.code,
    ),
  ).toBe("CONNECTION_CLOSED");

  expect(Array.from(await sql`select 3 as n`)).toEqual([{ n: 3 }]);
  expect(Array.from(await sql`select ${4}::int as n`)).toEqual([{ n: 4 }]);
  expect(sockets.length).toBe(2);
});
