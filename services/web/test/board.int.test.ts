// The board in a real Chromium (Debian's, driven by playwright-core) against
// the running stack: two windows of one user stay in step without reloads,
// a recurring task's next occurrence and its reminder arrive live, and a
// second user's window shows none of it. Screenshots of the key states go
// to the stack's log folder (screenshots/).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { APP_IDS } from "@todo/shared";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { appUrl, stack } from "../../../test/support/stack.ts";

let browser: Browser;
/** Every WebSocket URL any page of these tests opened. */
const socketUrls: string[] = [];
const shots = () => {
  const dir = join(stack().logDir, "screenshots");
  mkdirSync(dir, { recursive: true });
  return dir;
};

beforeAll(async () => {
  const setup = Bun.spawnSync(["bash", join(stack().repoRoot, "infra/setup/chromium.sh")], { stderr: "inherit" });
  const executablePath = setup.stdout.toString().trim();
  browser = await chromium.launch({
    executablePath,
    // The machine's network is closed: no background traffic, no sandbox as root.
    // Playwright gives each launch a fresh temporary profile.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
});

async function signIn(user: string, width = 1100): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  page.on("websocket", (ws) => socketUrls.push(ws.url()));
  await page.goto(appUrl(APP_IDS.web, "/"));
  await page.getByLabel("User name").fill(user);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "New task" }).waitFor();
  await page.locator("#live.on").waitFor({ timeout: 15_000 });
  return page;
}

const localInput = (date: Date) =>
  new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);

test("a recurring task with a reminder, live in two windows of its user and invisible to another", async () => {
  const user = `ada${Date.now()}`;
  const [first, second, stranger] = [await signIn(user), await signIn(user, 390), await signIn(`bob${Date.now()}`)];

  const due = new Date(Date.now() + 8_000);
  const form = first.locator("#task-form");
  await form.getByLabel("Title").fill("Water the plants");
  await form.getByLabel("Priority").selectOption("high");
  await form.getByLabel("Tags (comma separated)").fill("home, garden");
  await form.getByLabel("Due").fill(localInput(due));
  await form.getByLabel("Reminder").selectOption({ label: "At due time" });
  await form.getByLabel("Repeats").selectOption("DAILY");
  await form.getByRole("button", { name: "Add task" }).click();

  const inFirst = first.locator(".task", { hasText: "Water the plants" });
  await inFirst.waitFor();
  await expect(inFirst.textContent()).resolves.toContain("every day");
  // The second window of the same user gets it over the WebSocket, without a reload.
  const inSecond = second.locator(".task", { hasText: "Water the plants" });
  await inSecond.waitFor({ timeout: 15_000 });
  await first.screenshot({ path: join(shots(), "1-created.png"), fullPage: true });
  await second.screenshot({ path: join(shots(), "2-second-window-phone-width.png"), fullPage: true });

  // The reminder arrives in the notifications, live.
  await first.locator("#notifications li", { hasText: "Water the plants" }).waitFor({ timeout: 60_000 });
  await expect(first.locator("#unread").textContent()).resolves.not.toBe("0");

  // Completing it brings the next occurrence to both windows.
  await inFirst.getByRole("checkbox", { name: "Complete Water the plants" }).check();
  await first.getByLabel("Status").selectOption("all");
  await second.getByLabel("Status").selectOption("all");
  await second.locator(".task", { hasText: "#2" }).waitFor({ timeout: 30_000 });
  await first.locator(".task", { hasText: "#2" }).waitFor({ timeout: 30_000 });
  await first.screenshot({ path: join(shots(), "3-next-occurrence-and-reminder.png"), fullPage: true });

  // The other user saw none of it.
  await stranger.getByLabel("Status").selectOption("all");
  await stranger.locator(".tasks li", { hasText: "Nothing here." }).waitFor();
  expect(await stranger.locator(".task").count()).toBe(0);
  expect(await stranger.locator("#notifications li").count()).toBe(0);
  await stranger.screenshot({ path: join(shots(), "4-other-user.png"), fullPage: true });
}, 180_000);

test("the live connection carries the token as a subprotocol, never in its URL (which proxies log)", async () => {
  await signIn(`eve${Date.now()}`); // waits until the live indicator is on: ws-sync accepted the token
  expect(socketUrls.length).toBeGreaterThan(0);
  expect(socketUrls.filter((url) => new URL(url).search !== "")).toEqual([]);
}, 60_000);

test("the board is usable from the keyboard: labelled fields in a sensible focus order", async () => {
  const page = await signIn(`kim${Date.now()}`);
  await page.getByLabel("Title").first().focus();
  await page.keyboard.type("Keyboard only");
  await page.keyboard.press("Enter"); // submits the form from its first field
  await page.locator(".task", { hasText: "Keyboard only" }).waitFor();
  // Runs in the page; typed loosely since this file is not compiled with the DOM library.
  const unlabeled = await page.$$eval(
    "input, select, textarea",
    (els: any[]) =>
      els.filter((el) => !el.labels?.length && !el.getAttribute("aria-label") && el.offsetParent !== null).length,
  );
  expect(unlabeled).toBe(0);
}, 60_000);
