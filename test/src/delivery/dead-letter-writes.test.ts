import { Queue, Worker } from 'bullmq';
import { afterEach, describe, expect, test } from 'vitest';
import { createKeys, createLogger, queueCatalogue, ticketJobId, type DeadLetter } from '@tbe/shared';
import { moveToDeadLetters, type DeadLetterWriteDeps } from '@tbe/workers';
import { createWorkerMetrics } from '@tbe/workers/runtime/metrics';
import { Registry } from '@tbe/dashboard';
import { deletePrefix, testRedis, uniquePrefix, waitFor } from '../index.ts';
import { deadLetter } from '../dashboard/harness.ts';

const redis = testRedis();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setUp(): DeadLetterWriteDeps {
  const prefix = uniquePrefix('dlw');
  const spec = queueCatalogue(createKeys(prefix)).find((queue) => queue.name === 'cherwell-dead');
  if (!spec) throw new Error('no cherwell-dead queue in the catalogue');
  const deadLetters = new Queue(spec.name, { connection: redis, prefix: spec.prefix });
  cleanups.push(async () => {
    await deadLetters.close();
    await deletePrefix(redis, prefix);
  });
  return {
    redis,
    deadLetters,
    deadLetterSpec: spec,
    metrics: createWorkerMetrics(new Registry()),
    logger: createLogger({ level: 'silent', role: 'test' }),
  };
}

const newer = (ticketId: string): DeadLetter => ({
  ...deadLetter(ticketId),
  version: 9,
  operation: 'update',
});

describe('dead letters written per batch', () => {
  test('when a batch moves tickets to the dead letters and one had an older one, then each has one dead letter with the newest data', async () => {
    const deps = setUp();
    await moveToDeadLetters(deps, [deadLetter('WM-1')]);
    await moveToDeadLetters(deps, [newer('WM-1'), newer('WM-2')]);
    const jobs = await deps.deadLetters.getJobs(['waiting']);
    expect(jobs.map((job) => [job.id, (job.data as DeadLetter).version]).sort()).toEqual([
      [ticketJobId('WM-1'), 9],
      [ticketJobId('WM-2'), 9],
    ]);
  });

  test('when delivered tickets are cleared, then their dead letters go and the others stay', async () => {
    const deps = setUp();
    await moveToDeadLetters(deps, [deadLetter('WM-1'), deadLetter('WM-2')]);
    await moveToDeadLetters(deps, [], ['WM-1', 'WM-3']);
    const jobs = await deps.deadLetters.getJobs(['waiting']);
    expect(jobs.map((job) => job.id)).toEqual([ticketJobId('WM-2')]);
  });

  test('when a dead letter is locked by the dead-letter worker, then a newer one replaces it once the worker lets go', async () => {
    const deps = setUp();
    await moveToDeadLetters(deps, [deadLetter('WM-1')]);
    const worker = new Worker(deps.deadLetterSpec.name, null, {
      connection: redis,
      prefix: deps.deadLetterSpec.prefix,
      autorun: false,
    });
    cleanups.push(() => worker.close());
    const token = 'holder';
    const held = await worker.getNextJob(token);
    if (!held) throw new Error('no dead letter to hold');
    let settled = false;
    const moving = moveToDeadLetters(deps, [newer('WM-1')]).finally(() => {
      settled = true;
    });
    // The removal was refused and now waits on the job's events (its listener connection is open).
    await waitFor(async () => ((await redis.client('LIST')) as string).includes(':qe'), {
      what: 'the removal waiting for the lock',
    });
    expect(settled).toBe(false);
    await held.moveToFailed(new Error('parked'), token);
    await moving;
    const job = await deps.deadLetters.getJob(ticketJobId('WM-1'));
    expect((job?.data as DeadLetter | undefined)?.version).toBe(9);
    expect(await job?.getState()).toBe('waiting');
  });
});
