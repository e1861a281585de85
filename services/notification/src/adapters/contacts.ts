// The user's email address, from todo-api (GET internal/users/:id/contact)
// through our sidecar. Null when todo-api knows no address; throws when it
// cannot be asked right now.
import { APP_IDS, DaprError, readErrorBody, type Contact, type DaprClient } from "@todo/shared";
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
