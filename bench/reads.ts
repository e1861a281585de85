// R4: authenticated reads. `GET /api/tasks?limit=20` by many users, each
// with a page of their own, against pgbench running the SELECT todo-api
// sends for it on the same rows. Reads are most of what a user's screen
// does, and they pay every per-request cost (token, query building, row
// mapping) with no Kafka or outbox in the way.
import { signToken } from "@todo/shared";

export const R4_USERS = 64;
const TASKS_PER_USER = 40;

/** Rows for every R4 user, written straight into the table (the rows are the fixture, not the figure). */
export const r4SeedSql = `insert into tasks (user_id, title, description, priority, tags, created_at, updated_at)
select 'r4-' || (g % ${R4_USERS}), 'read task ' || g, 'a task to read', g % 3, '{bench}',
       now() - g * interval '1 second', now() - g * interval '1 second'
from generate_series(1, ${R4_USERS * TASKS_PER_USER}) g`;

/**
 * The statement todo-api runs for the first page (listing.ts: default sort
 * created_at desc, limit + 1 rows to know whether a next page exists), as a
 * pgbench script over the same users.
 */
export const r4PgbenchScript = `\\set u random(0, ${R4_USERS - 1})
SELECT *, lower(title) FROM tasks WHERE user_id = 'r4-' || :u ORDER BY created_at DESC, id DESC LIMIT 21;
`;

/** A request function for the load loops: user i % R4_USERS reads their first page. */
export async function readFirstPage(api: string, secret: string): Promise<(i: number) => Promise<boolean>> {
  const tokens = await Promise.all(Array.from({ length: R4_USERS }, (_, i) => signToken(secret, { sub: `r4-${i}` })));
  return (i: number) =>
    fetch(`${api}/api/tasks?limit=20`, { headers: { authorization: `Bearer ${tokens[i % tokens.length]}` } }).then(
      async (r) => {
        const page = (await r.json()) as { items?: unknown[] };
        return r.status === 200 && page.items?.length === 20;
      },
    );
}
