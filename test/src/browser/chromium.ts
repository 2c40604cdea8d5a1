import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`): the tests never download a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Why the browser tests cannot run on this machine, or undefined when they can. Only a
 * developer machine without Chromium may skip them: under CI (`.ci/run` installs the package) a
 * missing browser is a failure, reported by `launchChromium`.
 */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH) || process.env.CI) return undefined;
  return `${CHROMIUM_PATH} is missing: apt-get install -y chromium to run the browser tests`;
}

/**
 * A headless Chromium with nothing of its own going on (no QUIC, sync, component updates or
 * background requests) so that only the page under test talks to the network. `launch()` gives
 * every browser a fresh temporary profile (`--user-data-dir` in a temp directory, removed on
 * close); Playwright refuses that flag in `args`, hence not listed here.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing (CI must install the Debian chromium package)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // The sandbox needs user namespaces that containers (and root) do not give.
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
