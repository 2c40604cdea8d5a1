import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'vitest';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`): the tests never download a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Longest wait of one browser action (click, navigation); generous for a loaded 2-core CI machine. */
const ACTION_TIMEOUT_MS = 10_000;

/**
 * Skips the calling test, saying why on stderr (the default reporter does not show skip notes),
 * when this machine may run without a browser: only a developer machine without Chromium. Under
 * CI (`.ci/run` installs the package) a missing browser is a failure, reported by `launchChromium`.
 */
export function skipWithoutChromium(skip: TestContext['skip']): void {
  if (existsSync(CHROMIUM_PATH) || process.env.CI) return;
  const reason = `${CHROMIUM_PATH} is missing: apt-get install -y chromium to run the browser tests`;
  console.warn(`browser test skipped: ${reason}`);
  skip(reason);
}

/**
 * A headless Chromium with nothing of its own going on (no QUIC, sync, component updates or
 * background requests), so that only the pages under test use the network. `launch()` gives
 * every browser a fresh temporary profile (a `--user-data-dir` in a temp directory, removed on
 * close); Playwright refuses that flag in `args`, hence its absence here.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: CI must install the Debian chromium package`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // The sandbox needs user namespaces that a container running as root does not give.
    chromiumSandbox: false,
    timeout: 20_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const leaving = new WeakMap<BrowserContext, string[]>();

/**
 * A browser context that reaches only this machine. A request to any other host is refused and
 * recorded: the dashboard's pages must not make one (Bull Board's own page fetched its fonts
 * from the Internet; the dashboard serves them), and `requestsThatLeft` lets a test fail on it.
 */
export async function localContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  const left: string[] = [];
  leaving.set(context, left);
  await context.route(
    (url) => !LOOPBACK.has(url.hostname),
    (route) => {
      left.push(route.request().url());
      return route.abort('blockedbyclient');
    },
  );
  return context;
}

/** Every request of the context's pages to a host other than this machine, refused. */
export function requestsThatLeft(context: BrowserContext): readonly string[] {
  return leaving.get(context) ?? [];
}

/**
 * Saves what the page shows to a fixed file in the temp directory (overwritten by the next run,
 * never committed) and answers its path, for a look when a test fails or at its key step.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(tmpdir(), `tbe-browser-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
