// The board's layout in a real Chromium: tasks first (at phone size the first
// task shows without scrolling), grouped by the user's clock and zone across
// a local midnight (Playwright's clock and timezoneId), and no "serious" or
// "critical" axe-core finding signed out or on a board with tasks.
// Screenshots at 390 and 1280 px go to the run's log folder, and with
// UPDATE_SCREENSHOTS=1 to docs/ where the README shows them.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { stack } from "../../../test/support/stack.ts";
import {
  launchChromium,
  openBoard,
  screenshotDir,
  seriousViolations,
  signIn,
  titlesIn,
  type Window,
} from "./support/browser.ts";

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** Creates tasks through the API as the window's user and waits until the window shows them all, live. */
async function seed(window: Window, tasks: Record<string, unknown>[], complete: string[] = []) {
  for (const task of tasks) {
    const { status, body } = await window.api("POST", "/tasks", task);
    expect(status).toBe(201);
    if (complete.includes(body.title))
      expect((await window.api("POST", `/tasks/${body.id}/complete`)).status).toBe(200);
  }
  for (const task of tasks)
    await window.page.locator(".task", { hasText: String(task.title) }).waitFor({ state: "attached", timeout: 15_000 });
  // The completion arrives live after the create: the task is seeded once it sits in its group.
  for (const title of complete)
    await window.page
      .locator(".group-completed .task", { hasText: title })
      .waitFor({ state: "attached", timeout: 15_000 });
}

test("the list groups tasks by the user's local day, and regroups across midnight", async () => {
  // 23:30 on 14 March 2031 in Auckland (UTC+13), where the local day and the UTC day differ.
  const at = (local: string) => new Date(`${local}+13:00`);
  const window = await signIn(browser, `mika${Date.now()}`, {
    timezoneId: "Pacific/Auckland",
    locale: "en-GB",
    clockAt: at("2031-03-14T23:30:00"),
  });
  await seed(
    window,
    [
      { title: "Last week's report", due_at: at("2031-03-07T09:00:00").toISOString() },
      { title: "Before midnight", due_at: at("2031-03-14T23:45:00").toISOString() },
      { title: "After midnight", due_at: at("2031-03-15T00:40:00").toISOString() },
      { title: "Next week", due_at: at("2031-03-20T09:00:00").toISOString() },
      { title: "Someday" },
      { title: "Done already", due_at: at("2031-03-14T08:00:00").toISOString() },
    ],
    ["Done already"],
  );
  const { page } = window;
  await page.locator(".group-completed .task", { hasText: "Done already" }).waitFor({ state: "attached" });
  expect(await titlesIn(page, "overdue")).toEqual(["Last week's report"]);
  expect(await titlesIn(page, "today")).toEqual(["Before midnight"]);
  expect(await titlesIn(page, "upcoming")).toEqual(["After midnight", "Next week"]);
  expect(await titlesIn(page, "none")).toEqual(["Someday"]);
  expect(await titlesIn(page, "completed")).toEqual(["Done already"]);
  expect(await page.locator("details.group-completed").getAttribute("open")).toBeNull(); // collapsed
  // Overdue is said in words, not only in colour.
  expect(await page.locator(".task", { hasText: "Last week's report" }).textContent()).toContain("Overdue");

  // 50 minutes later it is 00:20 on the 15th: what was due before midnight is overdue, the 00:40 one is today.
  await page.clock.fastForward("50:00");
  await page.locator(".group-today .task", { hasText: "After midnight" }).waitFor({ timeout: 5_000 });
  expect(await titlesIn(page, "overdue")).toEqual(["Last week's report", "Before midnight"]);
  expect(await titlesIn(page, "today")).toEqual(["After midnight"]);
  expect(await titlesIn(page, "upcoming")).toEqual(["Next week"]);
  expect(await page.locator(".task", { hasText: "Before midnight" }).textContent()).toContain("Overdue");
}, 60_000);

test("signed out, the sign-in page has no serious or critical accessibility violation", async () => {
  const page = await openBoard(browser);
  await page.getByLabel("User name").waitFor(); // development sign-in shown once the config is read
  expect(await seriousViolations(page)).toEqual([]);
}, 60_000);

test("at 390 × 844 with 5 tasks the first task shows without scrolling; no serious or critical violation; screenshots", async () => {
  const user = `noor${Date.now()}`;
  const zone = { timezoneId: "Europe/Berlin", locale: "en-GB" };
  const phone = await signIn(browser, user, { ...zone, viewport: { width: 390, height: 844 } });
  const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
  await seed(
    phone,
    [
      { title: "Renew the passport", priority: "high", tags: ["admin"], due_at: inHours(-26) },
      { title: "Buy milk", tags: ["errands"], due_at: inHours(2), remind_at: inHours(1.5) },
      {
        title: "Pay rent",
        priority: "high",
        tags: ["home"],
        due_at: inHours(30),
        recurrence: { rule: "FREQ=MONTHLY", timezone: "Europe/Berlin" },
      },
      {
        title: "Stand-up",
        tags: ["work"],
        due_at: inHours(20),
        recurrence: { rule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", timezone: "Europe/Berlin" },
      },
      { title: "Read chapter 3", priority: "low" },
      { title: "Water the plants", tags: ["home"], due_at: inHours(-3) },
    ],
    ["Water the plants"],
  );
  const { page } = phone;
  expect(await page.locator(".group:not(.group-completed) .task").count()).toBe(5);
  await page.getByRole("textbox", { name: "Quick add" }).fill("call mum on Sunday at 6pm #family !high");
  await page.locator("#quick-chips").getByText("#family").waitFor();

  const first = await page.locator(".task").first().boundingBox();
  expect(first).not.toBeNull();
  expect(await page.evaluate(() => (globalThis as any).scrollY)).toBe(0);
  expect(first!.y).toBeGreaterThanOrEqual(0);
  expect(first!.y + first!.height).toBeLessThanOrEqual(844);
  expect(await seriousViolations(page)).toEqual([]);

  // The details dialog of a task, too.
  await page.getByRole("button", { name: "Details of Pay rent" }).click();
  await page.getByRole("dialog", { name: "Details of “Pay rent”" }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press("Escape");

  const desktop = await signIn(browser, user, { ...zone, viewport: { width: 1280, height: 800 } });
  await desktop.page.locator(".task", { hasText: "Read chapter 3" }).waitFor();
  await desktop.page.getByRole("textbox", { name: "Quick add" }).fill("call mum on Sunday at 6pm #family !high");
  await desktop.page.locator("#quick-chips").getByText("#family").waitFor();
  expect(await seriousViolations(desktop.page)).toEqual([]);

  const shots = { "board-phone.png": page, "board.png": desktop.page };
  for (const [name, shot] of Object.entries(shots)) {
    // The live highlight fades and the focus ring moves on in the page; the picture shows the settled board.
    await shot.evaluate(() => (globalThis as any).document.activeElement?.blur());
    await shot.locator(".flash").evaluateAll((els) => {
      for (const el of els) el.classList.remove("flash");
    });
    await shot.screenshot({ path: join(screenshotDir(), name) });
    if (process.env.UPDATE_SCREENSHOTS === "1")
      copyFileSync(join(screenshotDir(), name), join(stack().repoRoot, "docs", name));
  }
}, 120_000);
