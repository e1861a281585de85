// The user's email address, from todo-api (GET internal/users/:id/contact)
// through our sidecar. Null when todo-api knows no address; throws when it
// cannot be asked right now.
import { APP_IDS, DaprError, ExpiringCache, readErrorBody, type Contact, type DaprClient } from "@todo/shared";
import type { Contacts } from "../email/dispatcher.ts";

export function todoApiContacts(dapr: DaprClient): Contacts {
  return {
    async lookup(userId) {
      const res = await dapr.invoke(APP_IDS.todoApi, `internal/users/${encodeURIComponent(userId)}/contact`);
      const text = await res.text();
      if (res.status === 200) {
        const body = JSON.parse(text) as Contact;
        return { email: body.email || null, name: body.name };
      }
      // A sidecar that cannot reach todo-api answers 500, never todo-api's own 404 body.
      if (res.status === 404 && readErrorBody(text)?.code === "not_found") return { email: null, name: null };
      throw new DaprError("invoke todo-api contact", res.status, text);
    },
  };
}

/**
 * Remembers each user's answer for `rememberMs` (CONTACT_CACHE_MS; 0: never),
 * for at most `maxUsers` users, and asks once for lookups of one user that
 * arrive together. A burst of due reminders is mostly a few users' tasks:
 * without this, every email was a call through two sidecars into todo-api
 * and its database. The cost: an address changed in todo-api reaches emails
 * up to `rememberMs` later. Failed lookups are not remembered.
 */
export function rememberedContacts(
  inner: Contacts,
  rememberMs: number,
  { maxUsers = 10_000, now = Date.now }: { maxUsers?: number; now?: () => number } = {},
): Contacts {
  const known = new ExpiringCache<Awaited<ReturnType<Contacts["lookup"]>>>(maxUsers, rememberMs);
  const asking = new Map<string, ReturnType<Contacts["lookup"]>>();
  return {
    lookup(userId) {
      const hit = known.get(userId, now());
      if (hit) return Promise.resolve(hit);
      let answer = asking.get(userId);
      if (!answer) {
        answer = inner
          .lookup(userId)
          .then((contact) => {
            known.set(userId, contact, Number.POSITIVE_INFINITY, now());
            return contact;
          })
          .finally(() => asking.delete(userId));
        asking.set(userId, answer);
      }
      return answer;
    },
  };
}
