import { Queue } from 'bullmq';
import { afterEach, expect, test } from 'vitest';
import { createRedis, platformQueueName, type PlatformJob } from '@tbe/shared';
import { stateOf, waitForReports } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { waitFor } from '../support/wait-for.ts';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

// A job's lock can pass to another run without this worker seeing a reconnection: a step of
// Redis's clock expires it early, a Cluster shard fails over to a replica that missed it, Redis
// restarts behind a proxy that keeps the TCP connection. The write fence must still hold.
test('when an update job loses its lock to another run in mid-request, then the stale run writes and reports nothing', async () => {
  stack = await startStack({ WORKER_PLATFORMS: 'cherwell' });
  const view = platformView(stack, 'cherwell');
  stack.startProducer();
  await stack.startWorker();
  const id = stack.wm.createTicket({ entity: 'STALE-1', alarmType: 'SNR' }, ['cherwell']).id;
  await waitForReports(stack, 'cherwell', [id], 'created');
  const before = await stateOf(stack, 'cherwell', id);

  view.sim.setLatencyMs(1500);
  const connection = createRedis(stack.config('producer').redis, 'worker', 'lock-fence-test');
  const queue = new Queue<PlatformJob>(platformQueueName('cherwell'), {
    connection,
    prefix: stack.keys.platformPrefix('cherwell'),
  });
  try {
    stack.wm.updateTicket(id, { alarmCount: 42 });
    const job = await waitFor(
      async () => (await queue.getJobs(['active'])).find((active) => active.data.ticketId === id),
      { timeoutMs: 10_000, intervalMs: 5, what: 'the update job active' },
    );
    // Another run owns the job now, as after the stalled check handed it out again.
    await stack.redis.set(`${queue.toKey(job.id ?? '')}:lock`, 'another-run', 'PX', 20_000);
    // The update reaches Cherwell (updates are not fenced before they go: a repeat is harmless),
    // then its results would be written: they must not be.
    await waitFor(() => view.versionOf(id) === 2, { timeoutMs: 10_000, what: 'the update on Cherwell' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = await stateOf(stack, 'cherwell', id);
    expect(after.version).toBe(before.version);
    expect(stack.wm.statusReports().filter((r) => r.ticketId === id && r.state === 'updated')).toEqual([]);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}, 60_000);

// A batch that writes nothing but its transitions (a work order, going on to its write-back) is
// fenced inside the transition script itself: the same guarantee, in the write's own call.
test('when a new ticket loses its lock while its work order is in flight, then the stale run records no work order', async () => {
  stack = await startStack({ WORKER_PLATFORMS: 'cherwell' });
  const view = platformView(stack, 'cherwell');
  const connection = createRedis(stack.config('producer').redis, 'worker', 'lock-fence-test');
  const queue = new Queue<PlatformJob>(platformQueueName('cherwell'), {
    connection,
    prefix: stack.keys.platformPrefix('cherwell'),
  });
  try {
    stack.startProducer();
    await stack.startWorker();
    view.sim.setLatencyMs(1500);
    const id = stack.wm.createTicket({ entity: 'STALE-2', alarmType: 'SNR' }, ['cherwell']).id;
    // The create is recorded: the same job goes on to its work order (1.5 s on the way).
    await waitFor(async () => (await stateOf(stack!, 'cherwell', id)).platformId !== undefined, {
      timeoutMs: 20_000,
      intervalMs: 5,
      what: 'the create recorded',
    });
    const job = await waitFor(
      async () => (await queue.getJobs(['active'])).find((active) => active.data.ticketId === id),
      { timeoutMs: 10_000, intervalMs: 5, what: 'the job active' },
    );
    await stack.redis.set(`${queue.toKey(job.id ?? '')}:lock`, 'another-run', 'PX', 20_000);
    await waitFor(() => view.workOrderCount() === 1, {
      timeoutMs: 10_000,
      what: 'the work order on Cherwell',
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = await stateOf(stack, 'cherwell', id);
    expect(after.workOrder).toBeUndefined();
    expect(after.state).toBe('processing');
  } finally {
    await queue.close();
    connection.disconnect();
  }
}, 60_000);
