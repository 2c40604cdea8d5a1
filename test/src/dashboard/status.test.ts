import { afterEach, describe, expect, test } from 'vitest';
import { ConcurrencyStore } from '@tbe/shared/store/concurrency';
import { writeProducerStatus } from '@tbe/shared/store/producer-status';
import {
  deadLetter,
  fieldPaths,
  startDashboardHarness,
  type DashboardHarness,
  type Status,
} from './harness.ts';

let h: DashboardHarness;
afterEach(async () => {
  await h.close();
});

describe('admin API: status, processing switch, settings', () => {
  test('when the status is asked, then it shows every platform and the producer as the contract says', async () => {
    h = await startDashboardHarness({ CHERWELL_MAX_RETRIES: '5' });
    await h.queue('cherwell').add('ticket', { ticketId: 'WM-1' });
    await h.queue('cherwell').add('ticket', { ticketId: 'WM-2' }, { delay: 60_000 });
    await h.park(deadLetter('WM-3'));
    await h.redis.hset(h.keys.auth('cherwell'), 'w1', JSON.stringify({ state: 'ok', atMs: Date.now() }));
    // A stale entry of a process that stopped does not count.
    await h.redis.hset(
      h.keys.auth('sfyc'),
      'gone',
      JSON.stringify({ state: 'ok', atMs: Date.now() - 60_000 }),
    );
    await h.dashboard.context.settings.setRateLimit('sfyc', Date.now() + 30_000);
    await h.redis.set(h.keys.producer('cursor'), '1042');
    await writeProducerStatus(h.redis, h.keys, { lastPollAt: '2026-11-26T09:40:02Z', lastError: null });

    const { status, body } = await h.api<Status>('GET', '/api/status');

    expect(status).toBe(200);
    expect(body.platforms.cherwell).toEqual({
      processing: 'enabled',
      auth: 'ok',
      rateLimitedUntil: null,
      concurrency: null,
      settings: {
        maxRetries: { value: 5, source: 'env' },
        maxTicketsPerRequest: { value: 50, source: 'default' },
        batchWaitMs: { value: 100, source: 'default' },
        maxInFlight: { value: 4, source: 'default' },
      },
      counts: { waiting: 1, active: 0, delayed: 1, failed: 0, dead: 1 },
    });
    expect(body.platforms.sfyc.auth).toBe('unknown');
    expect(Date.parse(body.platforms.sfyc.rateLimitedUntil ?? '')).toBeGreaterThan(Date.now());
    expect(body.producer).toMatchObject({
      cursor: '1042',
      lastPollAt: '2026-11-26T09:40:02Z',
      lastError: null,
    });
  });

  test('when worker processes report their concurrency, then the status shows the limit over all of them and its mode', async () => {
    h = await startDashboardHarness();
    const store = new ConcurrencyStore(h.redis, h.keys);
    const report = {
      mode: 'adaptive' as const,
      active: true,
      saturated: false,
      overloaded: false,
      ceiling: 16,
      startLimit: 4,
      cooldownMs: 500,
      groups: [],
    };
    await store.report('sfyc', { ...report, processId: 'a' });
    await store.report('sfyc', { ...report, processId: 'b' });
    const { body } = await h.api<Status>('GET', '/api/status');
    expect(body.platforms.sfyc.concurrency).toMatchObject({ mode: 'adaptive', limit: 4, processes: 2 });
    expect(body.platforms.cherwell.concurrency).toBeNull();
  });

  test('when one worker reports the platform refused it, then auth is failed', async () => {
    h = await startDashboardHarness();
    const now = Date.now();
    await h.redis.hset(
      h.keys.auth('cherwell'),
      'a',
      JSON.stringify({ state: 'ok', atMs: now }),
      'b',
      JSON.stringify({ state: 'failed', atMs: now }),
    );
    expect((await h.api<Status>('GET', '/api/status')).body.platforms.cherwell.auth).toBe('failed');
  });

  test('when processing is disabled for a platform, then its BullMQ queue is paused, and enabled again resumes it', async () => {
    h = await startDashboardHarness();
    const off = await h.api('PUT', '/api/platforms/cherwell/processing', { enabled: false });
    expect(off).toMatchObject({ status: 200, body: { platform: 'cherwell', processing: 'disabled' } });
    expect(await h.queue('cherwell').isPaused()).toBe(true);
    expect(await h.queue('sfyc').isPaused()).toBe(false);
    expect((await h.api<Status>('GET', '/api/status')).body.platforms.cherwell.processing).toBe('disabled');

    const on = await h.api('PUT', '/api/platforms/cherwell/processing', { enabled: true });
    expect(on.body).toEqual({ platform: 'cherwell', processing: 'enabled' });
    expect(await h.queue('cherwell').isPaused()).toBe(false);
  });

  test('when processing is switched for all, then every platform queue follows and the dead letters keep running', async () => {
    h = await startDashboardHarness();
    const off = await h.api('PUT', '/api/platforms/all/processing', { enabled: false });
    expect(off.body).toEqual({
      platforms: [
        { platform: 'cherwell', processing: 'disabled' },
        { platform: 'sfyc', processing: 'disabled' },
      ],
    });
    expect(await h.queue('cherwell').isPaused()).toBe(true);
    expect(await h.queue('sfyc').isPaused()).toBe(true);
    expect(await h.queue('cherwell-dead').isPaused()).toBe(false);
    expect(await h.queue('wm-status').isPaused()).toBe(false);
    await h.api('PUT', '/api/platforms/all/processing', { enabled: true });
    expect(await h.queue('sfyc').isPaused()).toBe(false);
  });

  test('when the switch is set at run time, then TICKET_PROCESSING no longer applies at a later start', async () => {
    h = await startDashboardHarness();
    await h.api('PUT', '/api/platforms/sfyc/processing', { enabled: false });
    expect(await h.redis.get(h.keys.processingInitialised())).toBe('runtime');
  });

  test('when the processing call is wrong, then it answers 400 with the field, or 404 for an unknown platform', async () => {
    h = await startDashboardHarness();
    const bad = await h.api('PUT', '/api/platforms/cherwell/processing', { enabled: 'no', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('BAD_REQUEST');
    expect(fieldPaths(bad)).toEqual(['enabled', 'extra']);
    const notJson = await h.api('PUT', '/api/platforms/cherwell/processing', undefined, {
      headers: { 'content-type': 'text/plain' },
    });
    expect(notJson.status).toBe(400);
    const unknown = await h.api('PUT', '/api/platforms/jira/processing', { enabled: false });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect(unknown.body.error.fields).toBeUndefined();
  });

  test('when settings are patched, then they are stored and the status shows them as runtime', async () => {
    h = await startDashboardHarness();
    const patched = await h.api<Status['platforms']['sfyc']['settings']>(
      'PATCH',
      '/api/platforms/sfyc/settings',
      { maxRetries: 5, batchWaitMs: 250 },
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({
      maxRetries: { value: 5, source: 'runtime' },
      maxTicketsPerRequest: { value: 50, source: 'default' },
      batchWaitMs: { value: 250, source: 'runtime' },
      maxInFlight: { value: 4, source: 'default' },
    });
    expect(await h.redis.hgetall(h.keys.settings('sfyc'))).toEqual({ maxRetries: '5', batchWaitMs: '250' });
    const status = await h.api<Status>('GET', '/api/status');
    expect(status.body.platforms.sfyc.settings.maxRetries).toEqual({ value: 5, source: 'runtime' });
    expect(status.body.platforms.cherwell.settings.maxRetries).toEqual({ value: 3, source: 'default' });
  });

  test('when settings are out of range or unknown, then it answers 400 naming each field and stores nothing', async () => {
    h = await startDashboardHarness();
    const bad = await h.api('PATCH', '/api/platforms/sfyc/settings', {
      maxRetries: 21,
      maxTicketsPerRequest: 201,
      colour: 'red',
    });
    expect(bad.status).toBe(400);
    expect(fieldPaths(bad)).toEqual(['colour', 'maxRetries', 'maxTicketsPerRequest']);
    expect(bad.body.error.fields?.find((f) => f.path === 'maxTicketsPerRequest')?.message).toContain('200');
    expect(await h.redis.exists(h.keys.settings('sfyc'))).toBe(0);
    expect((await h.api('PATCH', '/api/platforms/sfyc/settings', {})).status).toBe(400);
    expect((await h.api('PATCH', '/api/platforms/all/settings', { maxRetries: 1 })).status).toBe(404);
    expect((await h.api('PATCH', '/api/platforms/jira/settings', { maxRetries: 1 })).status).toBe(404);
  });
});
