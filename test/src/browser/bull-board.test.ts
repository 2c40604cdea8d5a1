import { afterEach, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { deadLetters, stateOf, waitForReport, waitForReports } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { waitFor } from '../support/wait-for.ts';
import { startDashboardRole, type DashboardRole } from './dashboard-role.ts';
import { findJobOfTicket, logIn, openFailedJobs, pressRetry } from './board-page.ts';
import {
  launchChromium,
  localContext,
  requestsThatLeft,
  screenshot,
  skipWithoutChromium,
} from './chromium.ts';

const TOKEN = 'browser-test-admin-token-0123456789';
const platform = 'cherwell';

let stack: Stack | undefined;
let role: DashboardRole | undefined;
let browser: Browser | undefined;
let page: Page | undefined;

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && page) {
    console.error(`what the browser showed: ${await screenshot(page, 'failed')}`);
  }
  await browser?.close();
  await role?.close();
  await stack?.stop();
  browser = undefined;
  page = undefined;
  role = undefined;
  stack = undefined;
});

/** The dashboard role of the stack, with this test's admin token; answers its URL. */
async function startDashboardFor(s: Stack): Promise<string> {
  role = await startDashboardRole(s, { ADMIN_TOKEN: TOKEN });
  return role.url;
}

describe('Bull Board in a real browser', () => {
  test('when an operator presses Retry on a dead ticket in Bull Board, then that ticket is delivered and its dead letter is gone', async ({
    skip,
  }) => {
    skipWithoutChromium(skip);
    stack = await startStack({ WORKER_PLATFORMS: platform });
    const s = stack;
    const view = platformView(s, platform);
    // Two dead tickets, so that finding the right card matters: only the one retried may move.
    const retried = s.wm.createTicket({ entity: 'GDL-NODO-8001/US-1' }, [platform]).id;
    const left = s.wm.createTicket({ entity: 'GDL-NODO-8002/US-1' }, [platform]).id;
    const rejection = view.sim.faults.add({
      path: view.createPath,
      ticketIds: [retried, left],
      action: 'item-error',
      error: 'validation',
    });
    s.startProducer();
    await s.startWorker();
    await waitForReports(s, platform, [retried, left], 'error');
    // The platform accepts both again; only an operator's Retry sends one of them.
    view.sim.faults.remove(rejection);
    const url = await startDashboardFor(s);

    browser = await launchChromium();
    const context = await localContext(browser);
    page = await context.newPage();
    await logIn(page, url, TOKEN);
    await openFailedJobs(page, `${platform}-dead`);
    const job = await findJobOfTicket(page, `${platform}-dead`, retried);
    const answer = await pressRetry(page, job);
    expect(answer.status()).toBe(204);
    // Bull Board reloads the list after the action: the retried card leaves the Failed tab.
    await page.getByRole('alertdialog').waitFor({ state: 'hidden' });
    await page
      .getByRole('main')
      .locator(`a[href*="/${encodeURIComponent(job.jobId)}?"]`)
      .waitFor({ state: 'detached' });
    // The key step, for a look when the board changes (tbe-browser-after-retry.png in the temp directory).
    await screenshot(page, 'after-retry');

    await waitForReport(s, { ticketId: retried, platform, state: 'created' });
    expect(view.ticketsOf(retried)).toBe(1);
    expect((await stateOf(s, platform, retried)).state).toBe('created');
    await waitFor(async () => (await deadLetters(s, platform)).every((dead) => dead.ticketId !== retried), {
      what: 'the retried dead letter gone',
    });
    expect((await deadLetters(s, platform)).map((dead) => dead.ticketId)).toEqual([left]);
    expect(view.ticketsOf(left)).toBe(0);
    expect(s.violations()).toEqual([]);
    expect(requestsThatLeft(context)).toEqual([]);
  });

  test('when an operator opens the board, then dead letters read as a review list, each queue offers only what works or says what is refused, and the page loads nothing from outside', async ({
    skip,
  }) => {
    skipWithoutChromium(skip);
    stack = await startStack({ WORKER_PLATFORMS: platform });
    const s = stack;
    const view = platformView(s, platform);
    const dead = s.wm.createTicket({ entity: 'GDL-NODO-8101/US-1' }, [platform]).id;
    view.sim.faults.add({
      path: view.createPath,
      ticketIds: [dead],
      action: 'item-error',
      error: 'validation',
    });
    s.startProducer();
    await s.startWorker();
    await waitForReports(s, platform, [dead], 'error');
    const url = await startDashboardFor(s);

    browser = await launchChromium();
    const context = await localContext(browser);
    page = await context.newPage();
    const fonts = page.waitForResponse((r) => r.url().endsWith('/admin/queues/fonts/fonts.css'));
    await logIn(page, url, TOKEN);
    expect((await fonts).status()).toBe(200);
    await page.waitForFunction(`document.fonts.check('16px "IBM Plex Sans"')`);

    // The dead letter's card is named after its ticket, operation and error.
    await openFailedJobs(page, `${platform}-dead`);
    await page.getByRole('main').getByText(`${dead} create (FIELD_INVALID)`).first().waitFor();
    // Bull Board cuts the description to one line; the page holds it whole.
    await page
      .getByText(
        /Refused: Pause, Add job, Empty, Obliterate, Set concurrency, and Duplicate or Edit of a job/,
      )
      .first()
      .waitFor();

    // The platform queue's menu: no rate limit; the refused actions are named in its description.
    await page.getByRole('navigation').getByRole('link', { name: platform, exact: true }).click();
    await page
      .getByText(/Pause and Resume are the processing switch\. Refused: Add job, Empty, Obliterate/)
      .first()
      .waitFor();
    await page.locator('[class*="trigger-"]').first().click();
    const menu = page.getByRole('menu');
    await menu
      .getByText('Pause', { exact: true })
      .or(menu.getByText('Resume', { exact: true }))
      .first()
      .waitFor();
    expect(await menu.getByText(/rate limit/i).count()).toBe(0);
    await page.keyboard.press('Escape');
    await screenshot(page, 'platform-queue');

    // WM reports: read only, no actions at all.
    await page.getByRole('navigation').getByRole('link', { name: 'wm-status', exact: true }).click();
    await page
      .getByText(/Read only: the workers send these reports/)
      .first()
      .waitFor();
    expect(await page.locator('[class*="trigger-"]').count()).toBe(0);

    expect(requestsThatLeft(context)).toEqual([]);
  });
});
