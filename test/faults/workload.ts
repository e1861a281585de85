// A steady mix of writes from several users while a fault is injected:
// creates, updates, completions of recurring tasks, reminders due during the
// run. Records what the API acknowledged, which is what must survive.
import { newUser, type TestUser } from "../support/api.ts";

export interface Acknowledged {
  created: { user: TestUser; id: number }[];
  completedRecurring: { user: TestUser; id: number; seriesId: string; occurrence: number }[];
  reminders: { user: TestUser; id: number; title: string; remindAt: string }[];
  /**
   * Reminders whose time had passed when todo-api stored them (a write slower
   * than their 3 s lead, on a loaded machine): such a reminder never reminds,
   * by design (README, "Recurring tasks and reminders"), so none is expected.
   */
  pastReminders: number;
  failures: number;
}

const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

export const workloadUsers = (label: string, users = 3) =>
  Promise.all(Array.from({ length: users }, (_, i) => newUser(`${label}-${i}`)));

/**
 * `reminderEvery`: every how many rounds a user sets a reminder (every round: a reminder-heavy mix).
 * `pace`: awaited before each write; the soak (bench/soak.ts) holds the mix to a rate with it.
 */
export async function runWorkload(
  label: string,
  seconds: number,
  people: TestUser[],
  reminderEvery = 3,
  pace?: () => Promise<void>,
): Promise<Acknowledged> {
  const ack: Acknowledged = { created: [], completedRecurring: [], reminders: [], pastReminders: 0, failures: 0 };
  const end = Date.now() + seconds * 1000;
  const call = async (user: TestUser, method: string, path: string, body?: unknown) => {
    await pace?.();
    try {
      const res = await user.call(method, path, body);
      if (res.status >= 200 && res.status < 300) return res.body;
    } catch {
      // refused while the fault lasts: not acknowledged, nothing to check
    }
    ack.failures++;
    return undefined;
  };
  await Promise.all(
    people.map(async (user) => {
      for (let i = 0; Date.now() < end; i++) {
        const plain = await call(user, "POST", "/api/tasks", { title: `${label} plain ${i}`, tags: ["fault"] });
        if (plain) {
          ack.created.push({ user, id: plain.id });
          await call(user, "PATCH", `/api/tasks/${plain.id}`, { priority: "high" });
        }
        const recurring = await call(user, "POST", "/api/tasks", {
          title: `${label} daily ${i}`,
          due_at: daysAgo(1),
          recurrence: { rule: "FREQ=DAILY", timezone: "UTC" },
        });
        if (recurring) {
          ack.created.push({ user, id: recurring.id });
          const done = await call(user, "POST", `/api/tasks/${recurring.id}/complete`);
          if (done)
            ack.completedRecurring.push({
              user,
              id: recurring.id,
              seriesId: recurring.series_id,
              occurrence: recurring.occurrence,
            });
        }
        if (i % reminderEvery === 0) {
          const remindAt = inSeconds(3);
          // "[i]" ends the title, so no title is a prefix of another (mail subjects are matched by it).
          const reminded = await call(user, "POST", "/api/tasks", {
            title: `${label} reminder [${i}]`,
            remind_at: remindAt,
          });
          if (reminded) {
            ack.created.push({ user, id: reminded.id });
            // todo-api decides with the same clock reading it stores as created_at.
            if (Date.parse(reminded.remind_at) > Date.parse(reminded.created_at))
              ack.reminders.push({ user, id: reminded.id, title: reminded.title, remindAt: reminded.remind_at });
            else ack.pastReminders++;
          }
        }
      }
    }),
  );
  return ack;
}
