import type { Locator, Page, Response } from 'playwright-core';

/**
 * What an operator does on the dashboard's pages, step by step, through what the page shows
 * (labels, tab names, tooltips), so that a test reads as the runbook does.
 */

/** Logs in on the login page with the admin token; the browser lands on Bull Board. */
export async function logIn(page: Page, dashboardUrl: string, token: string): Promise<void> {
  await page.goto(`${dashboardUrl}/admin/login`);
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${dashboardUrl}/admin/queues`);
}

/** Picks the queue in Bull Board's menu, then its Failed tab (where dead letters are parked). */
export async function openFailedJobs(page: Page, queueName: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: queueName, exact: true }).click();
  await page
    .getByRole('main')
    .getByRole('link', { name: /^failed/i })
    .click();
  await page.waitForURL(
    (url) => url.pathname.endsWith(`/queue/${queueName}`) && url.searchParams.get('status') === 'failed',
  );
}

/** A job card on the page: its id (the card's title) and the card itself. */
export interface JobCard {
  jobId: string;
  card: Locator;
}

/**
 * The card of the job whose data names this ticket: each card's Data tab is opened and read, as
 * an operator would, rather than trusting how job ids are made.
 */
export async function findJobOfTicket(page: Page, queueName: string, ticketId: string): Promise<JobCard> {
  // Each card's title links to the job's own page; the card is the nearest block around the
  // link that also holds the job's tabs.
  const titles = page.getByRole('main').locator(`a[href*="/queue/${queueName}/"]`);
  await titles.first().waitFor();
  const namesTicket = new RegExp(`ticketId\\W*${ticketId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`);
  for (const title of await titles.all()) {
    const card = title.locator('xpath=ancestor::div[.//*[@role="tab"][normalize-space(.)="Data"]][1]');
    await card.getByRole('tab', { name: 'Data', exact: true }).click();
    if (namesTicket.test(await card.getByRole('tabpanel').innerText())) {
      return { jobId: (await title.innerText()).trim(), card };
    }
  }
  throw new Error(`no job in ${queueName} names ticket ${ticketId}`);
}

/**
 * Presses the card's Retry button and confirms; answers Bull Board's own request for it. The
 * button is an icon whose only name is its tooltip, so the tooltip is checked before pressing.
 */
export async function pressRetry(page: Page, { jobId, card }: JobCard): Promise<Response> {
  const retry = card.locator('button:has(svg.lucide-refresh-cw)');
  await retry.hover();
  await page.getByText('Retry', { exact: true }).waitFor();
  await retry.click();
  const dialog = page.getByRole('alertdialog');
  await dialog.getByText('Are you sure that you want to retry this job?').waitFor();
  const answered = page.waitForResponse(
    (response) =>
      response.request().method() === 'PUT' && response.url().endsWith(`/${encodeURIComponent(jobId)}/retry`),
  );
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  return answered;
}
