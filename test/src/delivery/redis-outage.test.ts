import { afterEach, describe, expect, test } from 'vitest';
import { startRedisServer, type RedisServer } from '../setup/redis-server.ts';
import { waitForReports } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { waitFor } from '../support/wait-for.ts';

let stack: Stack | undefined;
let redis: RedisServer | undefined;
afterEach(async () => {
  await redis?.restart().catch(() => undefined);
  await stack?.stop();
  await redis?.stop();
  stack = undefined;
  redis = undefined;
});

describe('a Redis outage', () => {
  test('when Redis dies (SIGKILL) and comes back with its AOF, then no role stops, /readyz says not ready meanwhile, and nothing is lost or doubled', async () => {
    // A Redis of its own, persisting every write as production should (AOF, fsync always).
    redis = await startRedisServer({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
    stack = await startStack({ REDIS_URL: redis.url, WORKER_PLATFORMS: 'cherwell' });
    const view = platformView(stack, 'cherwell');
    const producer = stack.startProducer();
    const worker = await stack.startWorker();
    const before = Array.from(
      { length: 20 },
      (_, i) => stack!.wm.createTicket({ entity: `E-${i}` }, ['cherwell']).id,
    );
    await waitForReports(stack, 'cherwell', before, 'created');

    // Killed with requests in flight: their answers come back to a worker without Redis.
    view.sim.setLatencyMs(300);
    const inFlight = Array.from(
      { length: 10 },
      (_, i) => stack!.wm.createTicket({ entity: `E-mid-${i}` }, ['cherwell']).id,
    );
    await waitFor(
      () =>
        view.sim.requests.some(
          (r) => r.outcome === 'pending' && r.ticketIds.some((t) => inFlight.includes(t)),
        ),
      {
        intervalMs: 5,
        what: 'a request in flight',
      },
    );
    await redis.kill();
    view.sim.setLatencyMs(0);
    const during = Array.from(
      { length: 20 },
      (_, i) => stack!.wm.createTicket({ entity: `E-out-${i}` }, ['cherwell']).id,
    );
    await waitFor(async () => !(await worker.ready()).ready, { what: 'the worker to say not ready' });
    await waitFor(async () => !(await producer.ready()).ready, { what: 'the producer to say not ready' });
    await redis.restart();

    await waitForReports(stack, 'cherwell', [...inFlight, ...during], 'created', 40_000);
    await waitFor(async () => (await worker.ready()).ready, { what: 'the worker to be ready again' });
    for (const id of [...before, ...inFlight, ...during]) expect(view.ticketsOf(id)).toBe(1);
    expect(view.workOrderCount()).toBe(before.length + inFlight.length + during.length);
    expect(stack.violations()).toEqual([]);
  }, 60_000);
});
