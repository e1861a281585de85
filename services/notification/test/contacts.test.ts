// notification reuses a user's address for a while instead of asking
// todo-api for every email (adapters/contacts.ts).
import { expect, test } from "bun:test";
import { rememberedContacts } from "../src/adapters/contacts.ts";
import type { Contacts } from "../src/email/dispatcher.ts";

function todoApi(answers: Record<string, string | Error>) {
  const asked: string[] = [];
  const contacts: Contacts = {
    async lookup(userId) {
      asked.push(userId);
      await Promise.resolve(); // answers later, as a call through the sidecar does
      const answer = answers[userId];
      if (answer instanceof Error) throw answer;
      return { email: answer ?? null, name: null };
    },
  };
  return { asked, contacts };
}

test("a burst of one user's emails asks todo-api once, and again only after the time to remember", async () => {
  const { asked, contacts } = todoApi({ ada: "ada@example.com" });
  let clock = 0;
  const remembered = rememberedContacts(contacts, 60_000, { now: () => clock });
  const burst = await Promise.all(Array.from({ length: 25 }, () => remembered.lookup("ada")));
  expect(new Set(burst.map((c) => c.email))).toEqual(new Set(["ada@example.com"]));
  clock = 59_999;
  expect((await remembered.lookup("ada")).email).toBe("ada@example.com");
  expect(asked).toEqual(["ada"]);
  clock = 60_000;
  await remembered.lookup("ada");
  expect(asked).toEqual(["ada", "ada"]);
});

test("a failed lookup is not remembered: the next email asks again", async () => {
  const answers: Record<string, string | Error> = { bob: new Error("todo-api is restarting") };
  const { asked, contacts } = todoApi(answers);
  const remembered = rememberedContacts(contacts, 60_000, { now: () => 0 });
  await expect(remembered.lookup("bob")).rejects.toThrow("restarting");
  answers.bob = "bob@example.com";
  expect((await remembered.lookup("bob")).email).toBe("bob@example.com");
  expect(asked).toEqual(["bob", "bob"]);
});

test("CONTACT_CACHE_MS=0 asks for every email; users are remembered apart, and a user without an address too", async () => {
  const { asked, contacts } = todoApi({ ada: "ada@example.com" });
  const never = rememberedContacts(contacts, 0, { now: () => 0 });
  await never.lookup("ada");
  await never.lookup("ada");
  expect(asked).toEqual(["ada", "ada"]);
  const remembered = rememberedContacts(contacts, 60_000, { now: () => 0 });
  expect((await remembered.lookup("ada")).email).toBe("ada@example.com");
  expect((await remembered.lookup("nobody")).email).toBeNull();
  await remembered.lookup("nobody");
  expect(asked).toEqual(["ada", "ada", "ada", "nobody"]);
});
