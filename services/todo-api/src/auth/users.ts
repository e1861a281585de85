// Keeps each user's contact details (from the JWT) in the users table, so
// notification can ask todo-api for them. Writes only when they change.
import { eq } from "drizzle-orm";
import type { AuthUser } from "@todo/shared";
import type { Database } from "../db/client.ts";
import { users } from "../db/schema.ts";

export class UserDirectory {
  private readonly known = new Map<string, string>();

  constructor(private readonly db: Database) {}

  async remember(user: AuthUser): Promise<void> {
    const fingerprint = `${user.email}\u0000${user.name}`;
    if (this.known.get(user.userId) === fingerprint) return;
    await this.db
      .insert(users)
      .values({ id: user.userId, email: user.email, name: user.name })
      .onConflictDoUpdate({ target: users.id, set: { email: user.email, name: user.name, updatedAt: new Date() } });
    if (this.known.size > 100_000) this.known.clear();
    this.known.set(user.userId, fingerprint);
  }

  async contact(userId: string) {
    const [row] = await this.db.select().from(users).where(eq(users.id, userId));
    return row ? { user_id: row.id, email: row.email, name: row.name } : null;
  }
}
