import { afterEach, describe, expect, test } from 'vitest';
import { CursorStore } from '@tbe/producers/cursor';
import { LeaderLease } from '@tbe/producers/lease';
import { waitFor } from '../index.ts';
import { spawnProducer, type ProducerProcess } from './child.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
const children: ProducerProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.child.exitCode === null && child.child.signalCode === null) child.kill('SIGKILL');
    await child.exited;
  }
  await h.close();
});

describe('WM producer: one leader at a time', () => {
  test('when a replica does not hold the lease, then its cursor write is refused', async () => {
    h = await startHarness();
    const a = new LeaderLease(h.redis, h.keys.producer('lease'), 'replica-a', 500);
    const b = new LeaderLease(h.redis, h.keys.producer('lease'), 'replica-b', 500);
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    expect(await new CursorStore(h.redis, h.keys, 'replica-b').write('7')).toBe(false);
    expect(await h.cursor()).toBeNull();
    expect(await new CursorStore(h.redis, h.keys, 'replica-a').write('7')).toBe(true);
    // A's lease lapses (a long pause) and B takes it: A can no longer move the cursor nor extend.
    await h.redis.pexpire(h.keys.producer('lease'), 1);
    await waitFor(() => b.acquire());
    expect(await a.extend()).toBe(false);
    expect(await new CursorStore(h.redis, h.keys, 'replica-a').forget()).toBe(false);
    expect(await h.cursor()).toBe('7');
  });

  test('when two producers run, then only the leader polls and a graceful stop hands over at once', async () => {
    h = await startHarness({ TBE_LEASE_TTL_MS: '3000' });
    const a = h.startProducer();
    await waitFor(() => a.producer.isLeader());
    const b = h.startProducer();
    for (let i = 0; i < 20; i++) h.sim.createTicket();
    await h.caughtUp();
    expect(b.producer.isLeader()).toBe(false);
    const polls = async (p: typeof a) =>
      (await p.registry.getSingleMetric('tbe_producer_polls_total')?.get())?.values.reduce(
        (n, v) => n + v.value,
        0,
      ) ?? 0;
    expect(await polls(b)).toBe(0);

    const stoppedAt = Date.now();
    await a.stop();
    expect(await h.redis.get(h.keys.producer('lease'))).toBeNull();
    await waitFor(() => b.producer.isLeader(), { timeoutMs: 2000 });
    // Released, not expired: B needs at most one try interval (ttl/3), not the ttl.
    expect(Date.now() - stoppedAt).toBeLessThan(1500);
    for (let i = 0; i < 20; i++) h.sim.createTicket();
    await h.caughtUp();
    expect(await h.waiting('cherwell')).toBe(40);
  });

  test('when the leader process is killed with SIGKILL, then a standby process takes over within 5 s and nothing is lost', async () => {
    h = await startHarness({ WM_PAGE_SIZE: '25' });
    // Production timings for the lease (TBE_LEASE_TTL_MS unset: 3000 ms).
    const { TBE_LEASE_TTL_MS: _ttl, ...env } = h.env;
    const childEnv = { ...env, HTTP_PORT: '0', LOG_LEVEL: 'info' };
    const leaseHolder = () => h.redis.get(h.keys.producer('lease'));
    const holds = (p: ProducerProcess) => async () => (await leaseHolder())?.includes(`:${p.pid}:`) === true;

    const tickets = Array.from({ length: 60 }, () => h.sim.createTicket());
    const a = spawnProducer(childEnv);
    children.push(a);
    await waitFor(holds(a), { timeoutMs: 20_000, what: 'first process leading' });
    await h.caughtUp();
    const b = spawnProducer(childEnv);
    children.push(b);
    await waitFor(() => b.logs.some((line) => line.msg === 'producer started'), {
      timeoutMs: 20_000,
      what: 'standby up',
    });
    expect(await holds(a)()).toBe(true);

    a.kill('SIGKILL');
    const killedAt = Date.now();
    expect(await a.exited).toBe('SIGKILL');
    tickets.push(...Array.from({ length: 60 }, () => h.sim.createTicket()));
    await waitFor(holds(b), { timeoutMs: 5000, intervalMs: 20, what: 'standby leading' });
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThan(5000);
    await h.caughtUp();

    expect(await h.waiting('cherwell')).toBe(120);
    expect(await h.waiting('sfyc')).toBe(120);
    for (const ticket of tickets) expect(await h.receivedEvents('sfyc', ticket.id)).toBe(1);

    // SIGTERM: a clean exit that hands the lease back.
    b.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    expect(await leaseHolder()).toBeNull();
    console.info(`standby took over ${takeoverMs} ms after SIGKILL`);
  });
});
