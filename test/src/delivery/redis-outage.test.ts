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
    stack = await startStack({ REDIS_URL: redis.url, WORKER_PLATFORMS: 'sfyc' });
    const view = platformView(stack, 'sfyc');
    const producer = stack.startProducer();
    const worker = await stack.startWorker();
    const before = Array.from(
      { length: 20 },
      (_, i) => stack!.wm.createTicket({ entity: `E-${i}` }, ['sfyc']).id,
    );
    await waitForReports(stack, 'sfyc', before, 'created');

    await redis.kill();
    const during = Array.from(
      { length: 20 },
      (_, i) => stack!.wm.createTicket({ entity: `E-out-${i}` }, ['sfyc']).id,
    );
    await waitFor(async () => !(await worker.ready()).ready, { what: 'the worker to say not ready' });
    await waitFor(async () => !(await producer.ready()).ready, { what: 'the producer to say not ready' });
    await redis.restart();

    await waitForReports(stack, 'sfyc', during, 'created', 30_000);
    await waitFor(async () => (await worker.ready()).ready, { what: 'the worker to be ready again' });
    for (const id of [...before, ...during]) expect(view.ticketsOf(id)).toBe(1);
    expect(stack.violations()).toEqual([]);
  }, 60_000);
});
