// GET /api/tasks/:id/history answers 404 "Task not found" only when the task
// does not exist and audit-log has nothing for it; whether it exists is
// TaskService.exists. A database that cannot answer must not read as "no
// such task": here a real Postgres refuses the connection's database.
import { afterAll, describe, expect, test } from "bun:test";
import { randomUUID } from "node:crypto";
import { quickInfo } from "../../../test/support/quick.ts";
import { connect, migrateDatabase } from "../src/db/client.ts";
import { TaskService } from "../src/tasks/service.ts";
import { validateTaskCreate } from "../src/tasks/validate.ts";

const info = quickInfo();
if (!info) throw new Error("a quick-tier test: run it with `bun run test:quick`");

await migrateDatabase(info.databaseUrl);
const working = connect(info.databaseUrl);
const broken = (() => {
  const url = new URL(info.databaseUrl);
  url.pathname = `/no_such_database_${randomUUID().slice(0, 8)}`;
  return connect(url.toString());
})();
afterAll(async () => {
  await working.sql.end();
  await broken.sql.end();
});

const tasks = (db: typeof working.db) => new TaskService({ db, onCommit: () => {} });

describe("whether a task exists", () => {
  test("the owner's task exists; another user's, and an id never used, do not", async () => {
    const owner = `exists-${randomUUID()}`;
    const task = await tasks(working.db).create(owner, validateTaskCreate({ title: "mine" }));
    expect(await tasks(working.db).exists(owner, task.id)).toBe(true);
    expect(await tasks(working.db).exists(`stranger-${randomUUID()}`, task.id)).toBe(false);
    expect(await tasks(working.db).exists(owner, Number.MAX_SAFE_INTEGER)).toBe(false);
  });

  test("a database error is an error, not a task that does not exist", async () => {
    const answer = await tasks(broken.db)
      .exists("anyone", 1)
      .then(
        (exists) => `resolved ${exists}`,
        (err: Error) => `rejected: ${(err.cause as { code?: string } | undefined)?.code ?? err.message}`,
      );
    expect(answer).toBe("rejected: 3D000"); // Postgres: the database does not exist
  });
});
