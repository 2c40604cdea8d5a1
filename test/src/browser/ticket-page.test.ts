import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { deadLetters, stateOf, waitForReport, waitForReports } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { waitFor } from '../support/wait-for.ts';
import { startDashboardRole, type DashboardRole } from './dashboard-role.ts';
import { launchChromium, localContext, screenshot, skipWithoutChromium } from './chromium.ts';
import { autoPostingForm, startForeignSite, type ForeignSite } from './foreign-site.ts';

const TOKEN = 'ticket-page-admin-token-0123456789';
const platform = 'cherwell';
/** Where the run leaves its screenshots for a reviewer (git-ignored, overwritten by each run). */
const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/screenshots/', import.meta.url));
/** The auto-refresh period of the page is 5 s; a state change shows within two of them. */
const SEEN_WITHIN_MS = 20_000;
/** The whole walk takes 15-25 s alone, more on a loaded 2-core machine (the suite in parallel). */
const WALK_MS = 90_000;

let stack: Stack | undefined;
let role: DashboardRole | undefined;
let browser: Browser | undefined;
let site: ForeignSite | undefined;
let page: Page | undefined;

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && page) {
    console.error(`what the browser showed: ${await screenshot(page, 'ticket-page-failed')}`);
  }
  await browser?.close();
  await site?.close();
  await role?.close();
  await stack?.stop();
  browser = undefined;
  site = undefined;
  page = undefined;
  role = undefined;
  stack = undefined;
});

/** The dashboard role of the stack, with this test's admin token; answers its URL. */
async function startDashboardFor(s: Stack): Promise<string> {
  role = await startDashboardRole(s, {
    ADMIN_TOKEN: TOKEN,
    CHERWELL_RECORD_URL: 'http://127.0.0.1:9/cherwell/record/{id}',
  });
  return role.url;
}

/** Every request the context makes to a host other than 127.0.0.1 (the page must make none). */
function foreignRequests(context: BrowserContext): string[] {
  const seen: string[] = [];
  context.on('request', (request) => {
    if (new URL(request.url()).hostname !== '127.0.0.1') seen.push(request.url());
  });
  return seen;
}

async function shoot(p: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await p.screenshot({ path: `${SCREENSHOTS}${name}.png` });
}

/** The table row of a ticket on the overview, and the WM ids the table lists. */
const rowOf = (p: Page, ticketId: string) =>
  p
    .locator('table.tickets tbody tr')
    .filter({ has: p.getByRole('rowheader', { name: ticketId, exact: true }) });
const listedIds = (p: Page) => p.locator('table.tickets tbody th[scope=row]').allInnerTexts();

describe('the ticket overview page in a real browser', () => {
  test(
    'when an operator finds an errored ticket by filter and by text, reads its history and retries it, then it reaches created, a cross-site page cannot retry, and nothing leaves 127.0.0.1',
    async ({ skip }) => {
      skipWithoutChromium(skip);
      stack = await startStack();
      const s = stack;
      const view = platformView(s, platform);
      const target = s.wm.createTicket({ entity: 'GDL-NODO-7001/US-1', severity: 'critical' }, [platform]).id;
      const other = s.wm.createTicket({ entity: 'GDL-NODO-7002/US-1' }, [platform]).id;
      // Hostile texts from WM: shown as text, never run.
      const hostile = s.wm.createTicket(
        {
          entity: '<img src=x onerror="window.pwned=1">',
          summary: '<script>window.pwned=2</script>"><b>bold?</b>',
        },
        ['sfyc'],
      ).id;
      const delivered = Array.from(
        { length: 6 },
        (_, i) => s.wm.createTicket({ entity: `MTY-NODO-${i}/DS-1` }).id,
      );
      const rejection = view.sim.faults.add({
        path: view.createPath,
        ticketIds: [target, other],
        action: 'item-error',
        error: 'validation',
      });
      s.startProducer();
      await s.startWorker();
      await waitForReports(s, platform, [target, other], 'error');
      await waitForReports(s, platform, delivered, 'created');
      await waitForReport(s, { ticketId: hostile, platform: 'sfyc', state: 'created' });
      const url = await startDashboardFor(s);

      browser = await launchChromium();
      const context = await localContext(browser, { viewport: { width: 1920, height: 1080 } });
      const foreign = foreignRequests(context);
      page = await context.newPage();
      const p = page;
      const dialogs: string[] = [];
      p.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });

      // Log in on the board's login page, sent on to the tickets.
      await p.goto(`${url}/admin/login?next=/admin/tickets`);
      await p.getByLabel('Admin token').fill(TOKEN);
      await p.getByRole('button', { name: 'Log in' }).click();
      await p.waitForURL(`${url}/admin/tickets`);
      await rowOf(p, target).waitFor();
      await expect.poll(async () => (await listedIds(p)).length, { timeout: SEEN_WITHIN_MS }).toBe(9);
      await shoot(p, 'overview-1920x1080');

      // The hostile ticket's texts are shown as they are, and nothing of them ran.
      await expect
        .poll(() => rowOf(p, hostile).getByRole('cell').first().innerText())
        .toBe('<img src=x onerror="window.pwned=1">');
      expect(await p.evaluate('typeof window.pwned')).toBe('undefined');
      expect(await p.locator('main img').count()).toBe(0);

      // By filter: the review list of cherwell holds the two errored tickets only.
      await p.getByLabel('Platform', { exact: true }).selectOption(platform);
      await p.getByLabel('State', { exact: true }).selectOption('error');
      await p.getByRole('button', { name: 'Filter' }).click();
      await p.waitForURL((u) => u.searchParams.get('state') === 'error');
      expect((await listedIds(p)).sort()).toEqual([target, other].sort());
      expect(await rowOf(p, target).innerText()).toMatch(/✖\s*error/);

      // By text: part of the entity, in another case, finds it alone.
      await p.getByRole('link', { name: 'Clear' }).click();
      await p.getByLabel('WM id, entity, platform id or OT').fill('nodo-7001');
      await p.getByLabel('WM id, entity, platform id or OT').press('Enter');
      await p.waitForURL((u) => u.searchParams.get('q') === 'nodo-7001');
      await expect.poll(() => listedIds(p)).toEqual([target]);

      // Keyboard only: from the top of the page, Tab reaches the ticket's link; Enter opens it.
      await p.evaluate('document.activeElement && document.activeElement.blur()');
      let reached = false;
      for (let i = 0; i < 60 && !reached; i++) {
        await p.keyboard.press('Tab');
        reached =
          (await p.evaluate('document.activeElement && document.activeElement.textContent')) === target;
      }
      expect(reached).toBe(true);
      await p.keyboard.press('Enter');
      await p.waitForURL(`${url}/admin/tickets/${target}`);
      const section = p.getByRole('region', { name: new RegExp(`^${platform}`) });
      await section.getByRole('heading', { name: /error/ }).waitFor();
      const history = await section.getByRole('table').innerText();
      expect(history).toMatch(/failed|dead-letter/);
      expect(history).toContain('received');
      expect(await section.innerText()).toMatch(/FIELD_INVALID|VALIDATION|validation/i);

      await shoot(p, 'ticket-error-1920x1080');

      // Retry, confirmed; the page says so and shows `created` by itself (auto-refresh).
      view.sim.faults.remove(rejection);
      await section.getByRole('link', { name: `Retry on ${platform}…` }).click();
      await p.getByRole('heading', { name: `Retry ${target} on ${platform}?` }).waitFor();
      await p.getByRole('button', { name: `Yes, retry on ${platform}` }).click();
      await p.getByRole('status').getByText('Retry sent').waitFor();
      const retriedAt = Date.now();
      await section.getByRole('heading', { name: /created/ }).waitFor({ timeout: SEEN_WITHIN_MS });
      const secondsToCreated = (Date.now() - retriedAt) / 1000;
      console.info(`retried ticket shown as created ${secondsToCreated.toFixed(1)} s after the retry`);
      expect(
        await section.getByRole('link', { name: /opens the platform record/ }).getAttribute('href'),
      ).toMatch(/^http:\/\/127\.0\.0\.1:9\/cherwell\/record\/\w+/);
      await shoot(p, 'ticket-1920x1080');
      await p.setViewportSize({ width: 1280, height: 720 });
      await shoot(p, 'ticket-1280x720');
      expect((await stateOf(s, platform, target)).state).toBe('created');
      expect(view.ticketsOf(target)).toBe(1);

      // The review list empties itself as tickets leave it, keeping its filters.
      await p.goto(`${url}/admin/tickets?platform=${platform}&state=error`);
      await expect.poll(() => listedIds(p)).toEqual([other]);
      await shoot(p, 'review-list-1280x720');
      await p.setViewportSize({ width: 1920, height: 1080 });
      await p.goto(`${url}/admin/tickets`);
      await rowOf(p, target).waitFor();
      await p.setViewportSize({ width: 1280, height: 720 });
      await shoot(p, 'overview-1280x720');

      // Another site's page, in the same logged-in browser, posting the retry form: refused.
      site = await startForeignSite({
        '/retry': autoPostingForm(`${url}/admin/tickets/${other}/retry`, { platform }),
      });
      const attacker = await context.newPage();
      const answered = attacker.waitForResponse((r) => r.url() === `${url}/admin/tickets/${other}/retry`);
      await attacker.goto(`${site.url}/retry`);
      expect((await answered).status()).toBe(403);
      expect((await stateOf(s, platform, other)).state).toBe('error');
      expect((await deadLetters(s, platform)).map((dead) => dead.ticketId)).toContain(other);
      expect(view.ticketsOf(other)).toBe(0);

      // The short way from "something is red" to a retried ticket: the red count, Retry, Yes.
      await p.bringToFront();
      await p.goto(`${url}/admin/tickets`);
      const startedAt = Date.now();
      await p.getByRole('link', { name: `1 error on ${platform}` }).click();
      await p.getByRole('link', { name: `Retry ${other} on ${platform}…` }).click();
      await p.getByRole('button', { name: `Yes, retry on ${platform}` }).click();
      await p.getByRole('status').getByText('Retry sent').waitFor();
      const clicksDoneAt = Date.now();
      await section.getByRole('heading', { name: /created/ }).waitFor({ timeout: SEEN_WITHIN_MS });
      console.info(
        `red to retried: 3 clicks, pages answered in ${clicksDoneAt - startedAt} ms; shown created ${
          Date.now() - clicksDoneAt
        } ms later`,
      );
      expect(view.ticketsOf(other)).toBe(1);

      expect(dialogs).toEqual([]);
      // The foreign site is the attacker's, on this machine; everything else stayed on 127.0.0.1.
      expect(foreign.filter((request) => !request.startsWith(site?.url ?? '-'))).toEqual([]);
      expect(s.violations()).toEqual([]);
      await waitFor(async () => (await stateOf(s, platform, target)).state === 'created', {
        what: 'still created',
      });
    },
    WALK_MS,
  );
});
