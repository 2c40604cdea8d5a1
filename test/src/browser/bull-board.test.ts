import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { createLogger, loadConfig, startRoleServer, type RoleServer } from '@tbe/shared';
import { Registry, startDashboard, type Dashboard } from '@tbe/dashboard';
import { deadLetters, waitForReports } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { waitFor } from '../support/wait-for.ts';
import { browserSkipReason, launchChromium } from './chromium.ts';

const TOKEN = 'browser-test-admin-token-0123456789';
const platform = 'cherwell';

let stack: Stack | undefined;
let dashboard: Dashboard | undefined;
let server: RoleServer | undefined;
let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  await server?.close();
  await dashboard?.close();
  await stack?.stop();
  browser = undefined;
  server = undefined;
  dashboard = undefined;
  stack = undefined;
});

/** The dashboard role of the stack, in process, on a loopback port. */
async function startDashboardOn(s: Stack): Promise<string> {
  const config = loadConfig({ ...s.env, ADMIN_TOKEN: TOKEN }, 'dashboard');
  const registry = new Registry();
  dashboard = startDashboard({ config, logger: createLogger({ level: 'silent', role: 'dashboard' }), registry, retention: { everyMs: 0 } });
  const d = dashboard;
  server = await startRoleServer({ port: 0, host: '127.0.0.1', readiness: () => d.ready(), registry, extra: d.handler });
  return `http://127.0.0.1:${server.port}`;
}

const shots = mkdtempSync(join(tmpdir(), 'tbe-browser-'));

describe('Bull Board in a real browser', () => {
  test('explore', async ({ skip }) => {
    skip(browserSkipReason() !== undefined, browserSkipReason());
    stack = await startStack({ WORKER_PLATFORMS: platform });
    const view = platformView(stack, platform);
    const bad = stack.wm.createTicket({ entity: 'GDL-NODO-8001/US-1' }, [platform]).id;
    const other = stack.wm.createTicket({ entity: 'GDL-NODO-8002/US-1' }, [platform]).id;
    const fault = view.sim.faults.add({ path: view.createPath, ticketIds: [bad, other], action: 'item-error', error: 'validation' });
    stack.startProducer();
    await stack.startWorker();
    await waitForReports(stack, platform, [bad, other], 'error');
    view.sim.faults.remove(fault);
    const url = await startDashboardOn(stack);
    browser = await launchChromium();
    const context = await browser.newContext();
    context.setDefaultTimeout(5_000);
    const page = await context.newPage();
    const first = await page.goto(`${url}/admin/login`);
    console.log('first', first?.status(), shots);
    await page.screenshot({ path: join(shots, '1-login.png') });
    await page.getByLabel('Admin token').fill(TOKEN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${url}/admin/queues`);
    await page.getByText(`${platform}-dead`).first().waitFor();
    await page.screenshot({ path: join(shots, '2-board.png'), fullPage: true });
    await page.getByRole('navigation').getByRole('link', { name: `${platform}-dead` }).click();
    await page.getByRole('link', { name: /failed/i }).click();
    await page.getByText(bad).first().waitFor();
    await page.screenshot({ path: join(shots, '3-failed.png'), fullPage: true });
    const link = page.locator(`main a[href*="/queue/${platform}-dead/"]`).first();
    const card = link.locator('xpath=ancestor::div[.//button[normalize-space(.)="Data"]][1]');
    await card.getByRole('button', { name: 'Data', exact: true }).click();
    console.log(await card.innerHTML());
    const retry = card.locator('button:has(svg.lucide-refresh-cw)');
    await retry.hover();
    await page.getByRole('tooltip').waitFor();
    console.log('TOOLTIP', await page.getByRole('tooltip').innerHTML());
    await retry.click();
    await page.getByRole('dialog').waitFor();
    await page.screenshot({ path: join(shots, '4-confirm.png') });
    console.log('DIALOG', await page.getByRole('dialog').innerHTML());
    expect(await deadLetters(stack, platform)).toHaveLength(2);
  });
});
