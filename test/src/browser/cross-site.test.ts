import { afterEach, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { deadLetter, startDashboardHarness, TOKEN, type DashboardHarness } from '../dashboard/harness.ts';
import { waitFor } from '../support/wait-for.ts';
import { logIn } from './board-page.ts';
import { launchChromium, localContext, screenshot, skipWithoutChromium } from './chromium.ts';
import { autoPostingForm, puttingPage, startForeignSite, type ForeignSite } from './foreign-site.ts';

let h: DashboardHarness | undefined;
let site: ForeignSite | undefined;
let browser: Browser | undefined;
let page: Page | undefined;

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && page) {
    console.error(`what the browser showed: ${await screenshot(page, 'cross-site-failed')}`);
  }
  await browser?.close();
  await site?.close();
  await h?.close();
  browser = undefined;
  page = undefined;
  site = undefined;
  h = undefined;
});

describe('cross-site requests from a real browser', () => {
  test("when another site's page makes a logged-in operator's browser retry a dead letter, then the dashboard refuses and nothing is retried", async ({
    skip,
  }) => {
    skipWithoutChromium(skip);
    h = await startDashboardHarness();
    const dash = h;
    dash.startDeadLetterWorker('cherwell');
    const ticketId = 'WM-CSRF-1';
    const id = await dash.park(deadLetter(ticketId));
    const deadLetters = dash.queue('cherwell-dead');
    await waitFor(async () => (await deadLetters.getJobState(id)) === 'failed', {
      what: 'dead letter parked',
    });

    const boardRetry = `${dash.url}/admin/queues/api/queues/cherwell-dead/${encodeURIComponent(id)}/retry`;
    const apiRetry = `${dash.url}/api/dead-letters/cherwell/retry`;
    site = await startForeignSite({
      '/board-form': autoPostingForm(boardRetry, { retry: 'yes' }),
      '/api-form': autoPostingForm(apiRetry, { [`{"ids":["${id}"],"pad":"`]: '"}' }, 'text/plain'),
      '/board-put': puttingPage(boardRetry),
    });

    // The victim: an operator's browser holding both ambient credentials, the basic-auth
    // password (answered to any challenge from the dashboard) and a session cookie.
    browser = await launchChromium();
    const context = await localContext(browser, {
      httpCredentials: { username: 'operator', password: TOKEN, origin: dash.url },
    });
    const operator = await context.newPage();
    await logIn(operator, dash.url, TOKEN);
    page = await context.newPage();

    for (const [path, target] of [
      ['/board-form', boardRetry],
      ['/api-form', apiRetry],
    ] as const) {
      const answered = page.waitForResponse((response) => response.url() === target);
      await page.goto(site.url + path);
      const answer = await answered;
      expect(answer.status(), path).toBe(403);
      // Refused by the dashboard's origin check (FORBIDDEN), before authentication and routing.
      expect(await answer.json(), path).toMatchObject({ error: { code: 'FORBIDDEN' } });
      expect(await answer.request().headerValue('origin'), path).toBe(site.url);
    }
    // Bull Board's own verb: a cross-site PUT needs a CORS preflight, which the dashboard never grants.
    await page.goto(`${site.url}/board-put`);
    await page.getByText(/^(blocked|answered \d+)$/).waitFor();
    expect(await page.locator('#outcome').textContent()).toBe('blocked');

    expect(await deadLetters.getJobState(id)).toBe('failed');
    expect(
      await dash.queue('cherwell').getJobCountByTypes('waiting', 'active', 'delayed', 'prioritized'),
    ).toBe(0);
    expect(await dash.redis.hget(dash.keys.state('cherwell', ticketId), 'state')).toBe('error');

    // The same request from the dashboard's own page goes through: the origin was refused, not
    // the credentials.
    const fromOwnPage = await operator.evaluate(
      async (url) => (await fetch(url, { method: 'PUT' })).status,
      boardRetry,
    );
    expect(fromOwnPage).toBe(204);
    await waitFor(async () => (await deadLetters.getJob(id)) === undefined, {
      what: 'dead letter retried from its own page',
    });
    expect(await dash.redis.hget(dash.keys.state('cherwell', ticketId), 'state')).toBe('queued');
  });
});
