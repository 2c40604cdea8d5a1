import { afterEach, describe, expect, test } from 'vitest';
import { basic, startDashboardHarness, TOKEN, type DashboardHarness } from './harness.ts';

let h: DashboardHarness;
afterEach(async () => {
  await h.close();
});

const BOARD_API = '/admin/queues/api/queues';

async function login(
  token: string,
  headers: Record<string, string> = {},
  next = '/admin/queues',
): Promise<Response> {
  return fetch(`${h.url}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ token, next }).toString(),
  });
}

describe('dashboard authentication', () => {
  test('when the admin API is called without a token, with a wrong one or with basic auth, then it answers 401', async () => {
    h = await startDashboardHarness();
    const none = await h.api('GET', '/api/status', undefined, { token: null });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) as string } });
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await h.api('GET', '/api/status', undefined, { token: `${TOKEN}x` })).status).toBe(401);
    expect((await h.api('GET', '/api/status', undefined, { token: 'short' })).status).toBe(401);
    const viaBasic = await h.api('GET', '/api/status', undefined, {
      token: null,
      headers: { authorization: basic(TOKEN) },
    });
    expect(viaBasic.status).toBe(401);
    // Auth comes before routing: an unknown path does not tell a stranger anything either.
    expect((await h.api('GET', '/api/nothing-here', undefined, { token: null })).status).toBe(401);
    expect((await h.api('GET', '/api/nothing-here')).status).toBe(404);
  });

  test('when a browser opens Bull Board without credentials, then it gets the basic challenge and the login form', async () => {
    h = await startDashboardHarness();
    const page = await fetch(`${h.url}/admin/queues`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(401);
    expect(page.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const html = await page.text();
    expect(html).toContain('<form method="post" action="/admin/login">');
    expect(html).not.toContain(TOKEN);
    const api = await fetch(`${h.url}${BOARD_API}`);
    expect(api.status).toBe(401);
  });

  test('when basic auth carries the token as password, then Bull Board answers, whatever the user name', async () => {
    h = await startDashboardHarness();
    const page = await fetch(`${h.url}/admin/queues`, { headers: { authorization: basic(TOKEN, 'anyone') } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const queues = await fetch(`${h.url}${BOARD_API}`, { headers: { authorization: basic(TOKEN) } });
    expect(queues.status).toBe(200);
    const wrong = await fetch(`${h.url}${BOARD_API}`, { headers: { authorization: basic('not-the-token') } });
    expect(wrong.status).toBe(401);
    const bearer = await fetch(`${h.url}${BOARD_API}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bearer.status).toBe(200);
  });

  test('when a state change comes from another site, then it is refused even with valid credentials', async () => {
    h = await startDashboardHarness();
    const pause = (headers: Record<string, string>) =>
      fetch(`${h.url}${BOARD_API}/cherwell/pause`, {
        method: 'PUT',
        headers: { authorization: basic(TOKEN), ...headers },
      });

    const byOrigin = await pause({ origin: 'https://evil.example' });
    expect(byOrigin.status).toBe(403);
    expect(((await byOrigin.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    expect((await pause({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await pause({ 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await pause({ origin: 'null' })).status).toBe(403);
    expect(await h.queue('cherwell').isPaused()).toBe(false);
    const api = await h.api(
      'PUT',
      '/api/platforms/cherwell/processing',
      { enabled: false },
      { headers: { origin: 'https://evil.example' } },
    );
    expect(api.status).toBe(403);
    expect(await h.queue('cherwell').isPaused()).toBe(false);

    // The same request from the board's own page goes through.
    expect((await pause({ 'sec-fetch-site': 'same-origin', origin: h.url })).status).toBe(200);
    expect(await h.queue('cherwell').isPaused()).toBe(true);
    // A cross-site GET changes nothing and may read the page (navigation, links).
    expect(
      (
        await fetch(`${h.url}${BOARD_API}`, {
          headers: { authorization: basic(TOKEN), 'sec-fetch-site': 'cross-site' },
        })
      ).status,
    ).toBe(200);
  });

  test('when an operator logs in on the login page, then a strict HttpOnly session cookie opens Bull Board until logout', async () => {
    h = await startDashboardHarness();
    const form = await fetch(`${h.url}/admin/login`);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('name="token"');

    const wrong = await login('not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).not.toContain('not-the-token');

    const ok = await login(TOKEN, { origin: h.url });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/admin/queues');
    const setCookie = ok.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^tbe_session=[A-Za-z0-9_-]{43}; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/admin');
    const cookie = setCookie.split(';')[0] ?? '';
    const id = cookie.split('=')[1] ?? '';
    // Redis holds a digest of the id, with an expiry, never the id itself.
    const [, stored] = await h.redis.scan('0', 'MATCH', `${h.prefix}:{dashboard}:session:*`, 'COUNT', 1000);
    expect(stored).toHaveLength(1);
    expect(stored[0]).not.toContain(id);
    expect(await h.redis.pttl(stored[0] ?? '')).toBeGreaterThan(0);

    const withCookie = await fetch(`${h.url}${BOARD_API}`, { headers: { cookie } });
    expect(withCookie.status).toBe(200);
    const pause = await fetch(`${h.url}${BOARD_API}/sfyc/pause`, {
      method: 'PUT',
      headers: { cookie, 'sec-fetch-site': 'same-origin' },
    });
    expect(pause.status).toBe(200);
    // The cookie is for the browser pages, not for the admin API.
    expect((await h.api('GET', '/api/status', undefined, { token: null, headers: { cookie } })).status).toBe(
      401,
    );

    const logout = await fetch(`${h.url}/admin/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie },
    });
    expect(logout.status).toBe(303);
    expect(logout.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await fetch(`${h.url}${BOARD_API}`, { headers: { cookie } })).status).toBe(401);
    expect((await fetch(`${h.url}${BOARD_API}`, { headers: { cookie: 'tbe_session=forged' } })).status).toBe(
      401,
    );
  });

  test('when a login is posted from another site or names a foreign page, then it is refused or sent home', async () => {
    h = await startDashboardHarness();
    expect((await login(TOKEN, { origin: 'https://evil.example' })).status).toBe(403);
    const elsewhere = await login(TOKEN, {}, '//evil.example/x');
    expect(elsewhere.status).toBe(303);
    expect(elsewhere.headers.get('location')).toBe('/admin/queues');
    const deepLink = await login(TOKEN, {}, '/admin/queues/queue/cherwell-dead');
    expect(deepLink.headers.get('location')).toBe('/admin/queues/queue/cherwell-dead');
  });

  test('when health and metrics are asked, then they need no token', async () => {
    h = await startDashboardHarness();
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${h.url}/metrics`)).status).toBe(200);
  });
});
