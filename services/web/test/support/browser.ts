// The board's browser tests: Debian's Chromium driven by playwright-core,
// signed in through the development login of the running stack, with the
// page's own token for checks through the API, and axe-core in the page.
import { APP_IDS } from "@todo/shared";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { appUrl, stack } from "../../../../test/support/stack.ts";

export async function launchChromium(): Promise<Browser> {
  const setup = Bun.spawnSync(["bash", join(stack().repoRoot, "infra/setup/chromium.sh")], { stderr: "inherit" });
  return chromium.launch({
    executablePath: setup.stdout.toString().trim(),
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
}

export interface Window {
  page: Page;
  /** The page's signed-in user, calling the API through the board's origin. */
  api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export interface SignInOptions extends BrowserContextOptions {
  /** A fixed start for the page's clock (Playwright's clock API); it runs on from there. */
  clockAt?: Date;
  onPage?: (page: Page) => void;
}

export async function openBoard(browser: Browser, options: SignInOptions = {}): Promise<Page> {
  const { clockAt, onPage, ...contextOptions } = options;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
  if (clockAt) await context.clock.install({ time: clockAt });
  const page = await context.newPage();
  onPage?.(page);
  await page.goto(appUrl(APP_IDS.web, "/"));
  return page;
}

export async function signIn(browser: Browser, user: string, options: SignInOptions = {}): Promise<Window> {
  const page = await openBoard(browser, options);
  await page.getByLabel("User name").fill(user);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("textbox", { name: "Quick add" }).waitFor();
  await page.locator("#live.on").waitFor({ timeout: 15_000 });
  const token = await page.evaluate(() => sessionStorage.getItem("token"));
  return {
    page,
    api: async (method, path, body) => {
      const res = await fetch(appUrl(APP_IDS.web, `/api${path}`), {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (res.status === 204 ? undefined : await res.json()) as any };
    },
  };
}

const axeScript = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** axe-core's violations of impact "serious" or "critical" on the page as it is now, as readable lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axeScript });
  // Runs in the page; typed loosely since this file is not compiled with the DOM library.
  const violations = await page.evaluate(
    async () => (await (globalThis as any).axe.run((globalThis as any).document)).violations,
  );
  return (violations as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[])
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** The run's screenshot folder (the stack's log folder). */
export function screenshotDir(): string {
  const dir = join(stack().logDir, "screenshots");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The titles in one group of the list ("overdue", "today", "upcoming", "none", "completed"). */
export const titlesIn = (page: Page, group: string) => page.locator(`.group-${group} .task .title`).allTextContents();
