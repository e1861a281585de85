// The board in a real Chromium (Debian's, driven by playwright-core) against
// the running stack: quick add reads a sentence into exactly one task, two
// windows of one user stay in step without reloads (a completion moves the
// task in the other window within a second), a recurring task's reminder
// and next occurrence arrive live, another user sees none of it, and the
// board works from the keyboard. Layout, grouping and accessibility are in
// board-layout.int.test.ts.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { join } from "node:path";
import { launchChromium, screenshotDir, signIn } from "./support/browser.ts";

let browser: Browser;
/** Every WebSocket URL any page of these tests opened. */
const socketUrls: string[] = [];
const watchSockets = {
  onPage: (page: import("playwright-core").Page) => page.on("websocket", (ws) => socketUrls.push(ws.url())),
};

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

const localInput = (date: Date) =>
  new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);

test("a quick-add sentence with a date, time, recurrence, priority and tag creates exactly that task", async () => {
  const zone = "America/New_York";
  const { page, api } = await signIn(browser, `quinn${Date.now()}`, { timezoneId: zone, locale: "en-GB" });
  await page.locator("h1").click();
  await page.keyboard.press("n"); // `n` anywhere outside a field goes to quick add
  await page.keyboard.type("Pay rent every month on the 1st at 9am #home !high, remind me 1 hour before");

  // What it understood, as chips, before anything is added.
  const chips = page.locator("#quick-chips");
  await chips.getByText("↻ every month on day 1").waitFor();
  for (const text of ["Pay rent", "high priority", "#home", "reminder 1 h before", "09:00"])
    expect(await chips.textContent()).toContain(text);
  expect((await api("GET", "/tasks?status=all")).body.items).toEqual([]);

  await page.keyboard.press("Enter");
  const row = page.locator(".task", { hasText: "Pay rent" });
  await row.waitFor();
  const { items } = (await api("GET", "/tasks?status=all")).body;
  expect(items).toHaveLength(1);
  const [task] = items;
  expect(task).toMatchObject({
    title: "Pay rent",
    description: "",
    priority: "high",
    tags: ["home"],
    completed: false,
    recurrence: { rule: "FREQ=MONTHLY;BYMONTHDAY=1", timezone: zone },
  });
  // Due on a 1st at 09:00 in the user's zone, in the future, with its reminder an hour before.
  const due = new Date(task.due_at);
  const local = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(due);
  expect(local).toBe("1, 09:00");
  expect(due.getTime()).toBeGreaterThan(Date.now());
  expect(Date.parse(task.remind_at)).toBe(due.getTime() - 3_600_000);
  // The row says it all, in the user's zone: due time, repeat, priority, tag.
  for (const text of ["09:00", "every month on day 1", "high priority", "#home"])
    expect(await row.textContent()).toContain(text);
  expect(await page.inputValue("#quick-text")).toBe("");
}, 60_000);

test("a chip removed before adding is left out of the task", async () => {
  const { page, api } = await signIn(browser, `rhea${Date.now()}`);
  await page.getByRole("textbox", { name: "Quick add" }).fill("Buy milk tomorrow at 6pm #errands");
  await page.getByRole("button", { name: "Remove tags" }).click();
  expect(await page.locator("#quick-chips").textContent()).not.toContain("#errands");
  await page.keyboard.press("Enter"); // the removal gave focus back to the field
  await page.locator(".task", { hasText: "Buy milk" }).waitFor();
  const [task] = (await api("GET", "/tasks")).body.items;
  expect(task).toMatchObject({ title: "Buy milk", tags: [] });
  expect(task.due_at).not.toBeNull();
}, 60_000);

test("two windows of one user: a completion in one moves the task in the other within a second", async () => {
  const user = `ada${Date.now()}`;
  const first = await signIn(browser, user);
  const second = await signIn(browser, user, { viewport: { width: 390, height: 844 } });
  await first.page.getByRole("textbox", { name: "Quick add" }).fill("Call the bank in 3 days");
  await first.page.keyboard.press("Enter");
  // It arrives in the other window over the WebSocket, without a reload.
  await second.page.locator(".group-upcoming .task", { hasText: "Call the bank" }).waitFor({ timeout: 15_000 });

  await first.page.getByRole("checkbox", { name: "Complete Call the bank" }).click();
  await first.page.locator(".group-completed .task", { hasText: "Call the bank" }).waitFor({ state: "attached" });
  // From when the completing window shows it done: moved, and highlighted, in the other within a second.
  await second.page
    .locator(".group-completed .task.flash", { hasText: "Call the bank" })
    .waitFor({ state: "attached", timeout: 1_000 });
  expect(await second.page.locator(".group-upcoming .task").count()).toBe(0);
}, 60_000);

test("a recurring task with a reminder, from the details dialog: live in two windows, invisible to another user", async () => {
  const user = `ada${Date.now()}`;
  const first = await signIn(browser, user, watchSockets);
  const second = await signIn(browser, user, { viewport: { width: 390, height: 844 } });
  const stranger = await signIn(browser, `bob${Date.now()}`);

  const opener = first.page.getByRole("button", { name: "Details…" });
  await opener.click();
  const dialog = first.page.getByRole("dialog", { name: "New task" });
  await dialog.getByLabel("Title").fill("Water the plants");
  await dialog.getByLabel("Priority").selectOption("high");
  await dialog.getByLabel("Tags (comma separated)").fill("home, garden");
  await dialog.getByLabel("Due").fill(localInput(new Date(Date.now() + 8_000)));
  await dialog.getByLabel("Reminder").selectOption({ label: "At due time" });
  // The recurrence fields show only once it repeats.
  expect(await dialog.getByLabel("Every (interval)").isVisible()).toBe(false);
  await dialog.getByLabel("Repeats").selectOption("DAILY");
  expect(await dialog.getByLabel("Every (interval)").isVisible()).toBe(true);
  await dialog.getByRole("button", { name: "Add task" }).click();
  await dialog.waitFor({ state: "hidden" });
  expect(await opener.evaluate((el) => el === (el as any).ownerDocument.activeElement)).toBe(true);

  const inFirst = first.page.locator(".task", { hasText: "Water the plants" });
  await inFirst.waitFor();
  expect(await inFirst.textContent()).toContain("every day");
  await second.page.locator(".task", { hasText: "Water the plants" }).waitFor({ timeout: 15_000 });
  await first.page.screenshot({ path: join(screenshotDir(), "1-created.png"), fullPage: true });
  await second.page.screenshot({ path: join(screenshotDir(), "2-second-window-phone-width.png"), fullPage: true });

  // The reminder reaches the bell, live; the bell opens the feed; Esc closes it and focus goes back.
  const bell = first.page.getByRole("button", { name: /^Notifications, [1-9]\d* unread$/ });
  await bell.waitFor({ timeout: 60_000 });
  await bell.click();
  await first.page.getByRole("dialog", { name: "Notifications" }).getByText("Water the plants").waitFor();
  await first.page.keyboard.press("Escape");
  await first.page.getByRole("dialog", { name: "Notifications" }).waitFor({ state: "hidden" });
  expect(await bell.evaluate((el) => el === (el as any).ownerDocument.activeElement)).toBe(true);

  // Completing it brings the next occurrence to both windows; the done one goes to Completed.
  await inFirst.getByRole("checkbox", { name: "Complete Water the plants" }).click(); // not check(): it would re-click the next occurrence, which has the same name
  for (const { page } of [first, second]) {
    await page.locator(".group-upcoming .task", { hasText: "Water the plants" }).waitFor({ timeout: 30_000 });
    await page.locator(".group-completed .task", { hasText: "Water the plants" }).waitFor({ state: "attached" });
  }
  await first.page.screenshot({ path: join(screenshotDir(), "3-next-occurrence-and-reminder.png"), fullPage: true });

  // The other user saw none of it.
  await stranger.page.getByText("Nothing here.").waitFor();
  expect(await stranger.page.locator(".task").count()).toBe(0);
  await stranger.page.getByRole("button", { name: "Notifications, 0 unread" }).waitFor();
  await stranger.page.screenshot({ path: join(screenshotDir(), "4-other-user.png"), fullPage: true });
}, 180_000);

test("the live connection carries the token as a subprotocol, never in its URL (which proxies log)", async () => {
  // signIn waits until the live indicator is on: ws-sync accepted the token.
  await signIn(browser, `eve${Date.now()}`, watchSockets);
  expect(socketUrls.length).toBeGreaterThan(0);
  expect(socketUrls.filter((url) => new URL(url).search !== "")).toEqual([]);
}, 60_000);

test("the board works from the keyboard: `/` to quick add, Enter adds, Esc closes details, focus comes back", async () => {
  const { page } = await signIn(browser, `kim${Date.now()}`);
  await page.locator("h1").click();
  await page.keyboard.press("/");
  await page.keyboard.type("Keyboard only");
  await page.keyboard.press("Enter");
  const details = page.getByRole("button", { name: "Details of Keyboard only" });
  await details.waitFor();
  // From a task's checkbox too, `n` goes back to quick add.
  await page.getByRole("checkbox", { name: "Complete Keyboard only" }).focus();
  await page.keyboard.press("n");
  expect(await page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe("quick-text");
  await details.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Details of “Keyboard only”" });
  await dialog.waitFor();
  expect(await dialog.getByLabel("Title").inputValue()).toBe("Keyboard only");
  // Runs in the page; typed loosely since this file is not compiled with the DOM library.
  const unlabelled = () =>
    page.$$eval(
      "input, select, textarea, button",
      (els: any[]) =>
        els.filter(
          (el) =>
            el.offsetParent !== null &&
            !el.labels?.length &&
            !el.getAttribute("aria-label") &&
            !(el.tagName === "BUTTON" && el.textContent.trim()),
        ).length,
    );
  expect(await unlabelled()).toBe(0);
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  expect(await details.evaluate((el) => el === (el as any).ownerDocument.activeElement)).toBe(true);
  expect(await unlabelled()).toBe(0);
}, 60_000);
