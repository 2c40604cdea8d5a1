import { afterEach, describe, expect, test } from 'vitest';
import { writeProducerStatus } from '@tbe/shared/store/producer-status';
import { startRedisServer, waitFor, type RedisServer } from '../index.ts';
import { deadLetter, startDashboardHarness, type DashboardHarness } from './harness.ts';

let h: DashboardHarness;
let ownRedis: RedisServer | undefined;
afterEach(async () => {
  await h.close();
  await ownRedis?.stop();
  ownRedis = undefined;
});

/** The value of one sample in the Prometheus text, undefined when absent. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('dashboard metrics and readiness', () => {
  test('when Prometheus scrapes, then it gets queue depths, the age of the oldest waiting job, dead letters, auth, switch, rate limit and feed figures', async () => {
    h = await startDashboardHarness();
    await h.queue('cherwell').add('ticket', { ticketId: 'WM-1' }, { timestamp: Date.now() - 60_000 });
    await h.queue('cherwell').add('ticket', { ticketId: 'WM-3' });
    // A follow-on operation waits in the prioritized set: it counts as waiting too.
    await h
      .queue('sfyc')
      .add('ticket', { ticketId: 'WM-4' }, { priority: 1, timestamp: Date.now() - 120_000 });
    await h.park(deadLetter('WM-2', 'sfyc'));
    await h.redis.hset(h.keys.auth('cherwell'), 'w1', JSON.stringify({ state: 'ok', atMs: Date.now() }));
    await h.api('PUT', '/api/platforms/sfyc/processing', { enabled: false });
    await h.dashboard.context.settings.setRateLimit('cherwell', Date.now() + 60_000);
    const successAt = new Date(Date.now() - 30_000).toISOString();
    await writeProducerStatus(h.redis, h.keys, { lastSuccessAt: successAt });

    const text = await (await fetch(`${h.url}/metrics`)).text();

    expect(sample(text, 'tbe_queue_jobs', 'queue="cherwell",state="waiting"')).toBe(2);
    const age = (queue: string) => sample(text, 'tbe_queue_oldest_waiting_age_seconds', `queue="${queue}"`);
    expect(age('cherwell')).toBeGreaterThanOrEqual(60);
    expect(age('cherwell')).toBeLessThan(90);
    expect(age('sfyc')).toBeGreaterThanOrEqual(120);
    expect(age('wm-status')).toBe(0);
    expect(sample(text, 'tbe_queue_jobs', 'queue="wm-status",state="failed"')).toBe(0);
    expect(sample(text, 'tbe_dead_letter_queue_jobs', 'platform="sfyc"')).toBe(1);
    expect(sample(text, 'tbe_dead_letter_queue_jobs', 'platform="cherwell"')).toBe(0);
    expect(sample(text, 'tbe_platform_auth_state', 'platform="cherwell",state="ok"')).toBe(1);
    expect(sample(text, 'tbe_platform_auth_state', 'platform="sfyc",state="unknown"')).toBe(1);
    expect(sample(text, 'tbe_processing_enabled', 'platform="cherwell"')).toBe(1);
    expect(sample(text, 'tbe_processing_enabled', 'platform="sfyc"')).toBe(0);
    expect(sample(text, 'tbe_platform_rate_limited', 'platform="cherwell"')).toBe(1);
    expect(sample(text, 'tbe_feed_last_success_timestamp_seconds')).toBe(Date.parse(successAt) / 1000);
    expect(sample(text, 'tbe_feed_lag_seconds')).toBeGreaterThanOrEqual(30);
  });

  test('when Redis goes away, then /readyz says not ready, calls wait instead of failing, and all is well once it is back', async () => {
    ownRedis = await startRedisServer();
    h = await startDashboardHarness({ REDIS_URL: ownRedis.url });
    await ownRedis.kill();
    await waitFor(async () => (await fetch(`${h.url}/readyz`)).status === 503, { what: 'not ready' });
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);

    let settled = false;
    const during = h
      .api('PUT', '/api/platforms/cherwell/processing', { enabled: false })
      .finally(() => (settled = true));
    // The call reached Redis's side and waits in the connection's offline queue (ioredis internals).
    const connection = h.dashboard.context.redis as unknown as { offlineQueue: { length: number } };
    await waitFor(() => connection.offlineQueue.length > 0, { what: 'a command waiting for Redis' });
    expect(settled).toBe(false);
    await ownRedis.restart();
    await waitFor(async () => (await fetch(`${h.url}/readyz`)).status === 200, { what: 'ready again' });
    expect((await during).body).toEqual({ platform: 'cherwell', processing: 'disabled' });
    expect(await h.queue('cherwell').isPaused()).toBe(true);
  });
});
