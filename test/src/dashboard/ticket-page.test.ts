import { afterEach, describe, expect, test } from 'vitest';
import { stateFields } from '@tbe/shared';
import { waitFor } from '../index.ts';
import { deadLetter, startDashboardHarness, TOKEN, type DashboardHarness, type Status } from './harness.ts';

let h: DashboardHarness;
afterEach(async () => {
  await h.close();
});

const bearer = { authorization: `Bearer ${TOKEN}` };

/** A browser-like request of the page (Bearer stands for the login: the same check). */
async function page(
  path: string,
  init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
) {
  const response = await fetch(h.url + path, {
    method: init.method ?? 'GET',
    redirect: 'manual',
    headers: {
      accept: 'text/html',
      ...bearer,
      ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...init.headers,
    },
    body: init.form ? new URLSearchParams(init.form).toString() : undefined,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Parks a dead letter through the worker role's dead-letter worker, as in production. */
async function parked(ticketId: string): Promise<void> {
  h.startDeadLetterWorker('cherwell');
  await h.park(deadLetter(ticketId));
  await waitFor(async () => (await h.queue('cherwell-dead').getFailedCount()) === 1, { what: 'parked' });
}

describe('the ticket overview page over HTTP', () => {
  test('when the page is opened without a login, then it asks for one like the board; with one, it answers HTML that loads only its own script and style', async () => {
    h = await startDashboardHarness();
    const anonymous = await page('/admin/tickets', { headers: { authorization: '' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).toContain('name="next" value="/admin/tickets"');
    expect((await page('/admin/assets/overview.js', { headers: { authorization: '' } })).status).toBe(401);

    const answer = await page('/admin/tickets');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const sources = [...answer.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(sources.filter((source) => /^[a-z]+:|^\/\//i.test(source))).toEqual([]);
    expect((await page('/admin/assets/overview.js')).headers.get('content-type')).toMatch(
      /^text\/javascript/,
    );
  });

  test('when Bull Board is opened, then its menu links to the ticket page', async () => {
    h = await startDashboardHarness();
    const board = await page('/admin/queues');
    expect(board.status).toBe(200);
    expect(board.text).toMatch(/"text":\s*"Tickets",\s*"url":\s*"\/admin\/tickets"/);
  });

  test('when ticket texts are hostile, then the page shows them escaped, in the table and on the ticket page', async () => {
    h = await startDashboardHarness({ CHERWELL_RECORD_URL: 'https://cherwell.example/r/{id}' });
    const json = JSON.stringify({
      id: 'WM-X',
      entity: '<img src=x onerror=alert(1)>',
      alarmType: 'SNR',
      severity: '"><script>alert(2)</script>',
      summary: "'><svg onload=alert(3)>",
    });
    await h.redis.hset(h.keys.ticket('cherwell', 'WM-X'), 'version', '1', 'json', json);
    await h.overview.transition([
      {
        platform: 'cherwell',
        ticketId: 'WM-X',
        state: 'error',
        fields: stateFields({
          platformId: 'a b/"<x>',
          lastError: { code: '<b>E</b>', message: '<iframe src="javascript:alert(4)">' },
        }),
        event: { event: 'failed', version: 1, detail: '<script>alert(5)</script>' },
      },
    ]);
    for (const path of ['/admin/tickets', '/admin/tickets/WM-X', '/admin/tickets?q=%3Cimg']) {
      const { status, text } = await page(path);
      expect(status, path).toBe(200);
      for (const raw of ['<img src=x', '<script>alert', '<svg onload', '<iframe src', '<b>E</b>', '"<x>']) {
        expect(text, path).not.toContain(raw);
      }
      expect(text, path).toContain('&lt;img src=x onerror=alert(1)&gt;');
    }
    const ticket = await page('/admin/tickets/WM-X');
    expect(ticket.text).toContain('&lt;script&gt;alert(5)&lt;/script&gt;');
    // The record link: the template's host, the id encoded into it.
    expect(ticket.text).toContain('href="https://cherwell.example/r/a%20b%2F%22%3Cx%3E"');
    expect((await page('/admin/tickets?q=%3Cimg')).text).toContain('WM-X');
  });

  test('when an operator retries, discards or pauses from the page, then the same commands run, each after a confirmation page, and the result is shown', async () => {
    h = await startDashboardHarness();
    await parked('WM-7');

    const listed = await page('/admin/tickets?state=error');
    expect(listed.text).toContain('href="/admin/tickets/WM-7/retry?platform=cherwell"');
    const confirm = await page('/admin/tickets/WM-7/retry?platform=cherwell');
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Yes, retry on cherwell');
    // Asking is not doing.
    expect(await h.queue('cherwell-dead').getFailedCount()).toBe(1);

    const retried = await page('/admin/tickets/WM-7/retry', {
      method: 'POST',
      form: { platform: 'cherwell' },
    });
    expect(retried.status).toBe(303);
    expect(retried.headers.get('location')).toBe('/admin/tickets/WM-7?done=retry&platform=cherwell');
    expect(await h.queue('cherwell-dead').getFailedCount()).toBe(0);
    expect(await h.redis.hget(h.keys.state('cherwell', 'WM-7'), 'state')).toBe('queued');
    expect((await page('/admin/tickets/WM-7?done=retry&platform=cherwell')).text).toContain('Retry sent');

    // A second retry: the dead letter is gone, and the page says so instead of failing silently.
    const again = await page('/admin/tickets/WM-7/retry', { method: 'POST', form: { platform: 'cherwell' } });
    expect(again.status).toBe(404);
    expect(again.text).toContain('no cherwell dead letter');

    await h.park(deadLetter('WM-8'));
    await waitFor(async () => (await h.queue('cherwell-dead').getFailedCount()) === 1, { what: 'parked' });
    const discarded = await page('/admin/tickets/WM-8/discard', {
      method: 'POST',
      form: { platform: 'cherwell' },
    });
    expect(discarded.headers.get('location')).toBe('/admin/tickets/WM-8?done=discard&platform=cherwell');
    expect(await h.queue('cherwell-dead').getFailedCount()).toBe(0);
    expect(await h.redis.hget(h.keys.state('cherwell', 'WM-8'), 'state')).toBe('error');

    const back = '/admin/tickets?state=error';
    expect(
      (await page(`/admin/platforms/sfyc/processing?enabled=0&back=${encodeURIComponent(back)}`)).text,
    ).toContain('Yes, pause sfyc');
    const paused = await page('/admin/platforms/sfyc/processing', {
      method: 'POST',
      form: { enabled: '0', back },
    });
    expect(paused.headers.get('location')).toBe('/admin/tickets?state=error&done=paused&platform=sfyc');
    const status = await h.api<Status>('GET', '/api/status');
    expect(status.body.platforms.sfyc.processing).toBe('disabled');
    expect(status.body.platforms.cherwell.processing).toBe('enabled');
    // A foreign `back` is not followed.
    const resumed = await page('/admin/platforms/sfyc/processing', {
      method: 'POST',
      form: { enabled: '1', back: 'https://evil.example/' },
    });
    expect(resumed.headers.get('location')).toBe('/admin/tickets?done=resumed&platform=sfyc');
    expect((await h.api<Status>('GET', '/api/status')).body.platforms.sfyc.processing).toBe('enabled');
  });

  test('when a page action comes from another site, then it is refused and nothing changes', async () => {
    h = await startDashboardHarness();
    await parked('WM-9');
    const foreign: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'https://evil.example' },
    ];
    for (const headers of foreign) {
      const answer = await page('/admin/tickets/WM-9/retry', {
        method: 'POST',
        form: { platform: 'cherwell' },
        headers,
      });
      expect(answer.status).toBe(403);
      const pause = await page('/admin/platforms/cherwell/processing', {
        method: 'POST',
        form: { enabled: '0' },
        headers,
      });
      expect(pause.status).toBe(403);
    }
    expect(await h.queue('cherwell-dead').getFailedCount()).toBe(1);
    expect((await h.api<Status>('GET', '/api/status')).body.platforms.cherwell.processing).toBe('enabled');
  });

  test('when the page is asked for what is not there, then it answers a clear 404 or 400 page', async () => {
    h = await startDashboardHarness();
    const missing = await page('/admin/tickets/WM-404');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('no ticket WM-404 on any platform');
    expect((await page('/admin/tickets?platform=jira')).status).toBe(400);
    expect((await page('/admin/tickets?state=lost')).status).toBe(400);
    expect((await page('/admin/tickets/WM-1/retry?platform=jira')).status).toBe(404);
    expect((await page('/admin/platforms/jira/processing')).status).toBe(404);
  });
});
