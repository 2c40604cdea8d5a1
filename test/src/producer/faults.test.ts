import { afterEach, describe, expect, test } from 'vitest';
import { readProducerStatus } from '@tbe/shared/store/producer-status';
import type { FaultRule } from '@tbe/simulators';
import { startRedisServer, waitFor, type RedisServer } from '../index.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let ownRedis: RedisServer | undefined;
afterEach(async () => {
  await h.close();
  await ownRedis?.stop();
  ownRedis = undefined;
});

const onPolls = { path: '/tickets/changes' };

describe('WM producer: bad answers from WM', () => {
  const faults: Array<[string, FaultRule, string]> = [
    ['a 503', { ...onPolls, action: 'status', status: 503, times: 3 }, 'status'],
    ['a body that is not JSON', { ...onPolls, action: 'invalid-json', times: 2 }, 'invalid-json'],
    ['an invalid envelope', { ...onPolls, action: 'invalid-envelope', times: 2 }, 'invalid-envelope'],
    ['no answer (hang)', { ...onPolls, action: 'hang', times: 1 }, 'timeout'],
    ['a reset connection', { ...onPolls, action: 'reset', times: 2 }, 'network'],
    ['a 20 MiB body', { ...onPolls, action: 'oversized', bytes: 20 * 1024 * 1024, times: 1 }, 'oversized'],
  ];

  test.each(faults)(
    'when WM answers %s, then the cursor stays and after the fault everything arrives',
    async (_, rule, outcome) => {
      // Reading 16 MiB before giving up takes longer than the 400 ms timeout on a loaded machine.
      const timeout: Record<string, string> =
        outcome === 'oversized' ? { WM_REQUEST_TIMEOUT_MS: '5000' } : {};
      h = await startHarness({ WM_PAGE_SIZE: '20', ...timeout });
      const tickets = Array.from({ length: 45 }, () => h.sim.createTicket());
      h.sim.faults.add(rule);
      const running = h.startProducer();
      await h.caughtUp();

      expect(await running.metric('tbe_producer_polls_total', { outcome })).toBeGreaterThanOrEqual(1);
      for (const ticket of tickets)
        expect((await h.tickets.getLatest('cherwell', ticket.id))?.ticket.version).toBe(1);
      expect(await h.waiting('cherwell')).toBe(45);
      expect(await h.waiting('sfyc')).toBe(45);
      // The poll that failed was asked again from the same place: nothing skipped.
      const polls = h.sim.requests.filter((r) => r.path === '/tickets/changes');
      const failed = polls.findIndex((r) => r.faults.length > 0);
      expect(polls[failed + 1]?.query.after).toBe(polls[failed]?.query.after);
      expect((await readProducerStatus(h.redis, h.keys)).lastError).toBeNull();
    },
  );

  test('when WM answers 5xx, then the last error is in the status until a poll succeeds, without the token', async () => {
    h = await startHarness(
      { WM_TOKEN: 'wm-secret-token', BACKOFF_BASE_MS: '100' },
      { token: 'wm-secret-token' },
    );
    h.sim.createTicket();
    const id = h.sim.faults.add({ ...onPolls, action: 'status', status: 502 });
    h.startProducer();
    const status = await waitFor(async () => {
      const s = await readProducerStatus(h.redis, h.keys);
      return s.lastError !== null && s;
    });
    expect(status.lastError?.code).toBe('HTTP_502');
    expect(JSON.stringify(status)).not.toContain('wm-secret-token');
    expect(status.cursor).toBeNull();
    h.sim.faults.remove(id);
    await h.caughtUp();
    expect((await readProducerStatus(h.redis, h.keys)).lastError).toBeNull();
  });

  test('when a page is over 16 MiB, then the limit halves until it fits and comes back after a good page', async () => {
    h = await startHarness({ WM_PAGE_SIZE: '40', WM_REQUEST_TIMEOUT_MS: '5000' });
    for (let i = 0; i < 100; i++) h.sim.createTicket();
    h.sim.faults.add({ ...onPolls, action: 'oversized', times: 3 });
    h.startProducer();
    await h.caughtUp();
    const limits = h.sim.requests.filter((r) => r.path === '/tickets/changes').map((r) => r.query.limit);
    expect(limits.slice(0, 5)).toEqual(['40', '20', '10', '5', '40']);
  });

  test('when WM answers over 16 MiB even at limit 1, then the producer stays, says so, and moves once WM is fixed', async () => {
    h = await startHarness({ WM_PAGE_SIZE: '8', WM_REQUEST_TIMEOUT_MS: '5000' });
    for (let i = 0; i < 10; i++) h.sim.createTicket();
    const id = h.sim.faults.add({ ...onPolls, action: 'oversized', bytes: 17 * 1024 * 1024 });
    const running = h.startProducer();
    await waitFor(async () => (await running.metric('tbe_producer_stuck')) === 1, { what: 'stuck' });
    const status = await readProducerStatus(h.redis, h.keys);
    expect(status).toMatchObject({ cursor: null, limit: 1 });
    expect(status.stuck).toContain('16 MiB');
    expect(await h.waiting('cherwell')).toBe(0);

    h.sim.faults.remove(id);
    await h.caughtUp();
    expect(await running.metric('tbe_producer_stuck')).toBe(0);
    expect(await h.waiting('cherwell')).toBe(10);
    expect(await readProducerStatus(h.redis, h.keys)).toMatchObject({
      stuck: null,
      limit: 8,
      lastError: null,
    });
  });

  test('when Redis goes away, then the producer is not ready, keeps its cursor, and goes on when Redis is back', async () => {
    ownRedis = await startRedisServer({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
    h = await startHarness({ REDIS_URL: ownRedis.url, WM_PAGE_SIZE: '10' });
    for (let i = 0; i < 15; i++) h.sim.createTicket();
    const running = h.startProducer();
    await h.caughtUp();
    await ownRedis.kill();
    await waitFor(async () => !(await running.producer.ready()).ready, { what: 'not ready' });
    for (let i = 0; i < 15; i++) h.sim.createTicket();
    await ownRedis.restart();
    await waitFor(async () => (await running.producer.ready()).ready, { what: 'ready again' });
    await h.caughtUp(15_000);

    const polls = h.sim.requests.filter((r) => r.path === '/tickets/changes' && r.status === 200);
    expect(polls.some((r) => r.query.after === '15')).toBe(true);
    expect(polls.every((r) => r.query.after !== undefined || r === polls[0])).toBe(true);
    expect(await h.waiting('cherwell')).toBe(30);
    expect(running.producer.isLeader()).toBe(true);
  });
});
