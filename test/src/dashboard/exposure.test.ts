import { Registry } from 'prom-client';
import { afterEach, describe, expect, test } from 'vitest';
import { startRoleServer } from '@tbe/shared';
import { SESSION_COOKIE, SessionStore } from '@tbe/dashboard/auth/sessions';
import { LOGIN_FAILURES_ALLOWED } from '@tbe/dashboard/auth/throttle';
import { basic, startDashboardHarness, TOKEN, type DashboardHarness } from './harness.ts';

let h: DashboardHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function login(url: string, token: string, next = '/admin/queues'): Promise<Response> {
  return fetch(`${url}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, next }).toString(),
  });
}

const sessionKeys = (harness: DashboardHarness): Promise<string[]> =>
  harness.redis.keys(`${harness.prefix}:{dashboard}:session:*`);

describe('dashboard exposure', () => {
  test('when a login names a `next` with CR/LF in it, then it is sent to the board (no 500) and only its own session exists', async () => {
    h = await startDashboardHarness();
    const answer = await login(h.url, TOKEN, '/admin/queues\r\nSet-Cookie: planted=1');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/admin/queues');
    expect(answer.headers.get('set-cookie')).not.toContain('planted');
    expect(await sessionKeys(h)).toHaveLength(1);
    for (const next of ['/admin/queues\tx', '/admin/q\u0000', '/admin/q ueues', '/admin/é'])
      expect((await login(h.url, TOKEN, next)).headers.get('location')).toBe('/admin/queues');
  });

  test('when any dashboard page or answer is served, then no site may frame it', async () => {
    h = await startDashboardHarness();
    const auth = { authorization: basic(TOKEN) };
    const pages = [
      await fetch(`${h.url}/admin/queues`, { headers: auth }),
      await fetch(`${h.url}/admin/queues/queue/cherwell`, { headers: auth }),
      await fetch(`${h.url}/admin/queues/api/queues`, { headers: auth }),
      await fetch(`${h.url}/admin/queues`, { headers: { accept: 'text/html' } }),
      await fetch(`${h.url}/admin/login`),
      await fetch(`${h.url}/admin/nothing-here`, { headers: auth }),
      await fetch(`${h.url}/api/status`, { headers: { authorization: `Bearer ${TOKEN}` } }),
    ];
    for (const page of pages) {
      expect(page.headers.get('x-frame-options'), page.url).toBe('DENY');
      expect(page.headers.get('content-security-policy'), page.url).toContain("frame-ancestors 'none'");
      expect(page.headers.get('x-content-type-options'), page.url).toBe('nosniff');
    }
  });

  test('when ADMIN_TOKEN is rotated, then sessions opened with the old token are no longer valid', async () => {
    h = await startDashboardHarness();
    const answer = await login(h.url, TOKEN);
    const cookie = /tbe_session=([^;]+)/.exec(answer.headers.get('set-cookie') ?? '')?.[1];
    const board = (value: string | undefined): Promise<Response> =>
      fetch(`${h?.url}/admin/queues/api/queues`, { headers: { cookie: `${SESSION_COOKIE}=${value}` } });
    expect((await board(cookie)).status).toBe(200);
    // The same Redis, seen by a replica that was given the new token.
    const rotated = new SessionStore(h.redis, h.prefix, `${TOKEN}-rotated`);
    expect(await rotated.isValid(cookie)).toBe(false);
    expect(await new SessionStore(h.redis, h.prefix, TOKEN).isValid(cookie)).toBe(true);
    // A session stored the old way (value "1") is not accepted either.
    await h.redis.set((await sessionKeys(h))[0] ?? '', '1');
    expect((await board(cookie)).status).toBe(401);
  });

  test('when the login form gets too many wrong tokens, then it refuses even the right one for a while', async () => {
    h = await startDashboardHarness();
    for (let i = 0; i < LOGIN_FAILURES_ALLOWED; i++) expect((await login(h.url, 'wrong')).status).toBe(401);
    const refused = await login(h.url, TOKEN);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60);
    expect(refused.headers.get('set-cookie')).toBeNull();
    expect(await sessionKeys(h)).toHaveLength(0);
    // Header authentication (the CLI, scripts) is not locked out by it.
    expect((await h.api('GET', '/api/status')).status).toBe(200);
  });

  test('when many wrong tokens arrive at once, then no more than the allowed number are even checked', async () => {
    h = await startDashboardHarness();
    const answers = await Promise.all(Array.from({ length: 40 }, () => login(h!.url, 'wrong')));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(LOGIN_FAILURES_ALLOWED);
    expect(statuses.filter((status) => status === 429)).toHaveLength(40 - LOGIN_FAILURES_ALLOWED);
  });

  test('when a role server fails inside a request, then the 500 carries no text of the error', async () => {
    const server = await startRoleServer({
      port: 0,
      host: '127.0.0.1',
      registry: new Registry(),
      readiness: () => Promise.reject(new Error('redis://admin:s3cret@10.0.0.5:6379 is gone')),
    });
    try {
      const answer = await fetch(`http://127.0.0.1:${server.port}/readyz`);
      expect(answer.status).toBe(500);
      const text = await answer.text();
      expect(text).not.toContain('s3cret');
      expect(text).not.toContain('10.0.0.5');
    } finally {
      await server.close();
    }
  });
});
