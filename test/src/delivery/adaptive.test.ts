import { afterEach, describe, expect, test } from 'vitest';
import { ConcurrencyStore } from '@tbe/shared/store/concurrency';
import { waitForReports } from '../support/delivery.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { waitFor } from '../support/wait-for.ts';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/**
 * One ticket per request and a ceiling far above the platform's capacity, so that the only thing
 * keeping requests in flight near the capacity is the adaptive limit.
 */
const ADAPTIVE_ENV = {
  WORKER_PLATFORMS: 'sfyc',
  SFYC_MAX_TICKETS_PER_REQUEST: '1',
  SFYC_MAX_IN_FLIGHT: '16',
  SFYC_BATCH_WAIT_MS: '5',
};

function createTickets(s: Stack, count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => s.wm.createTicket({ entity: `GDL-NODO-${i}/US-1` }, ['sfyc']).id,
  );
}

async function limitOf(s: Stack): Promise<number> {
  return (await new ConcurrencyStore(s.redis, s.keys).read('sfyc'))?.limit ?? 0;
}

describe('adaptive concurrency', () => {
  test('when two worker runtimes share a platform of capacity 6, then their shared limit finds it and follows it down when it halves', async () => {
    stack = await startStack(ADAPTIVE_ENV);
    const s = stack;
    s.sfyc.setMaxTicketsPerRequest(1);
    s.sfyc.setLatencyMs(150);
    s.sfyc.setCapacity({ capacity: 6, hardLimit: 12 });
    s.startProducer();
    await Promise.all([s.startWorker(), s.startWorker()]);
    createTickets(s, 600);

    // Found: it rose from the start (4) to the capacity, and no further than the hard limit.
    await waitFor(async () => (await limitOf(s)) >= 6, {
      timeoutMs: 20_000,
      what: 'the limit at capacity 6',
    });
    const store = new ConcurrencyStore(s.redis, s.keys);
    expect(await store.read('sfyc')).toMatchObject({ mode: 'adaptive', processes: 2 });
    s.sfyc.resetLoad();
    await waitFor(() => s.sfyc.load().admitted >= 60, { timeoutMs: 20_000, what: '60 requests' });
    expect(s.sfyc.load().peakInFlight).toBeLessThanOrEqual(12);
    expect(await limitOf(s)).toBeLessThanOrEqual(11);

    // Followed down: half the capacity, and the limit comes down to it.
    s.sfyc.setCapacity({ capacity: 3, hardLimit: 6 });
    await waitFor(async () => (await limitOf(s)) <= 4, {
      timeoutMs: 15_000,
      what: 'the limit near capacity 3',
    });
    s.sfyc.resetLoad();
    await waitFor(() => s.sfyc.load().admitted >= 60, { timeoutMs: 30_000, what: '60 requests' });
    // A fixed 2 x 16 in flight would have most requests refused; the limit lets a probe through
    // now and then (more on a loaded machine, where its latency readings lag).
    const { admitted, rejected } = s.sfyc.load();
    expect(rejected / (admitted + rejected)).toBeLessThanOrEqual(0.1);
    expect(s.violations()).toEqual([]);
  });

  test('when the platform answers 429 above its hard limit, then the limit falls below it and no ticket is charged an attempt for a 429', async () => {
    stack = await startStack(ADAPTIVE_ENV);
    const s = stack;
    s.sfyc.setMaxTicketsPerRequest(1);
    s.sfyc.setLatencyMs(50);
    // Latency never rises before the hard limit: only 429s can stop the climb.
    s.sfyc.setCapacity({ capacity: 5, hardLimit: 5, retryAfterS: 1 });
    s.startProducer();
    await Promise.all([s.startWorker(), s.startWorker()]);
    const ids = createTickets(s, 150);
    const reports = await waitForReports(s, 'sfyc', ids, 'created', 90_000);
    expect(s.sfyc.load().rejected).toBeGreaterThan(0);
    expect([...reports.values()].filter((r) => r.attempts !== 1)).toEqual([]);
    // AIMD probes: just before the next 429 the limit may stand above the hard limit (by one on a
    // quiet machine, more when the 429s' reports lag), never near the ceiling of 2 x 16.
    expect(await limitOf(s)).toBeLessThanOrEqual(8);
    expect(s.violations()).toEqual([]);
  });

  test('when SFYC_CONCURRENCY is fixed, then the limit is maxInFlight per process whatever the platform does', async () => {
    stack = await startStack({ ...ADAPTIVE_ENV, SFYC_CONCURRENCY: 'fixed', SFYC_MAX_IN_FLIGHT: '3' });
    const s = stack;
    s.sfyc.setMaxTicketsPerRequest(1);
    s.sfyc.setLatencyMs(100);
    s.sfyc.setCapacity({ capacity: 1 });
    s.startProducer();
    await Promise.all([s.startWorker(), s.startWorker()]);
    createTickets(s, 200);
    await waitFor(() => s.sfyc.load().peakInFlight >= 6, { timeoutMs: 20_000, what: '6 requests in flight' });
    const store = new ConcurrencyStore(s.redis, s.keys);
    const status = await waitFor(
      async () => (await store.read('sfyc'))?.processes === 2 && store.read('sfyc'),
      {
        what: 'both processes in the status',
      },
    );
    expect(status).toMatchObject({
      mode: 'fixed',
      limit: 6,
      processes: 2,
    });
    expect(s.sfyc.load().peakInFlight).toBeLessThanOrEqual(6);
  });
});
