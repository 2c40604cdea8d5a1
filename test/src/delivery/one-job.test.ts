import { afterEach, describe, expect, test } from 'vitest';
import { SettingsStore } from '@tbe/shared/store/settings';
import {
  deadLetters,
  jobCounts,
  platformJobs,
  platformJobsIssued,
  requestsTo,
  stateOf,
  waitForReports,
} from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { ticketJobId } from '@tbe/shared';
import { waitFor } from '../support/wait-for.ts';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe('one job per ticket change, with BullMQ attempts as the budget', () => {
  test('when new tickets are delivered, then one BullMQ job each carries create, work order and write-back', async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'sfyc' });
    const ids = Array.from(
      { length: 8 },
      (_, i) => stack!.wm.createTicket({ entity: `ONE-${i}` }, ['sfyc']).id,
    );
    stack.startProducer();
    await stack.startWorker();
    await waitForReports(stack, 'sfyc', ids, 'created');
    for (const id of ids) {
      expect((await stateOf(stack, 'sfyc', id)).attempts).toEqual({ create: 1, workOrder: 1, writeBack: 1 });
    }
    expect(await platformJobsIssued(stack, 'sfyc')).toBe(ids.length);
    expect(stack.wm.statusReports().filter((report) => ids.includes(report.ticketId))).toHaveLength(
      ids.length,
    );
  }, 40_000);

  test('when an operator changes maxRetries while a job waits, then the job shows and gets the new budget, and its death leaves no failed platform job', async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'sfyc', SFYC_MAX_RETRIES: '3', BACKOFF_BASE_MS: '50' });
    const view = platformView(stack, 'sfyc');
    const id = stack.wm.createTicket({ entity: 'BUDGET-1' }, ['sfyc']).id;
    stack.startProducer();
    // The board shows the budget an operator set: maxRetries 3, attempts 4.
    const waiting = await waitFor(async () => (await platformJobs(stack!, 'sfyc', ['waiting']))[0], {
      what: 'the queued job',
    });
    expect(waiting).toMatchObject({ ticketId: id, attempts: 4, attemptsMade: 0 });
    await new SettingsStore(stack.redis, stack.keys).setRuntime('sfyc', { maxRetries: 1 });
    view.sim.faults.add({ path: view.createPath, ticketIds: [id], action: 'item-error', error: 'lock' });
    await stack.startWorker();
    const dead = await waitForReports(stack, 'sfyc', [id], 'error');
    expect(dead.get(id)?.attempts).toBe(2);
    expect(requestsTo(stack, 'sfyc', view.createPath, id)).toBe(2);
    expect(await deadLetters(stack, 'sfyc')).toMatchObject([
      { ticketId: id, operation: 'create', attempts: 2 },
    ]);
    await waitFor(async () => {
      const counts = await jobCounts(stack!, 'sfyc');
      return (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) === 0 && counts;
    });
    expect((await jobCounts(stack, 'sfyc')).failed).toBe(0);
  }, 40_000);

  test('when a ticket is queued, then its job stores only budget and deduplication id, as a listpack, and the worker still removes it once done', async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'sfyc' });
    const id = stack.wm.createTicket({ entity: 'KEEP-1' }, ['sfyc']).id;
    stack.startProducer();
    // Removal of finished jobs and the backoff are the worker's settings, and keepLastIfActive
    // counts only while adding (the producer drops it right after, in a call of its own): none
    // stays in the job, so its hash is a listpack.
    const compact = { attempts: 4, deduplication: { id: ticketJobId(id) } };
    const waiting = await waitFor(
      async () =>
        (await platformJobs(stack!, 'sfyc', ['waiting'])).find(
          (job) => (job.opts.deduplication as { keepLastIfActive?: boolean }).keepLastIfActive === undefined,
        ),
      { what: 'the queued job, compact' },
    );
    expect(waiting.opts).toEqual(compact);
    const jobKey = `${stack.keys.platformPrefix('sfyc')}:sfyc:${waiting.id ?? ''}`;
    expect(await stack.redis.config('GET', 'hash-max-listpack-value')).toEqual([
      'hash-max-listpack-value',
      '64',
    ]);
    expect(await stack.redis.object('ENCODING', jobKey)).toBe('listpack');
    await stack.startWorker();
    await waitForReports(stack, 'sfyc', [id], 'created');
    await waitFor(async () => (await platformJobs(stack!, 'sfyc', ['waiting', 'active'])).length === 0);
    expect(await platformJobs(stack, 'sfyc', ['completed', 'failed'])).toEqual([]);
  }, 40_000);

  test('when a new version arrives while its ticket is being worked on, then one follow-up job sends it after the first ends', async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'sfyc' });
    const view = platformView(stack, 'sfyc');
    // The create takes a while: the ticket's job is active when version 2 is queued.
    view.sim.faults.add({ path: view.createPath, action: 'latency', latencyMs: 1500, times: 1 });
    const id = stack.wm.createTicket({ entity: 'ACTIVE-1' }, ['sfyc']).id;
    stack.startProducer();
    await stack.startWorker();
    await waitFor(async () => (await platformJobs(stack!, 'sfyc', ['active'])).length === 1, {
      what: 'the job active',
    });
    stack.wm.updateTicket(id, { alarmCount: 2 });
    // Deduplicated while active: held by BullMQ (keepLastIfActive, given when adding), not waiting.
    const next = `${stack.keys.platformPrefix('sfyc')}:sfyc:dn:${ticketJobId(id)}`;
    await waitFor(async () => (await stack!.redis.exists(next)) === 1, { what: 'the follow-up held' });
    expect((await jobCounts(stack, 'sfyc')).waiting ?? 0).toBe(0);
    await waitFor(() => view.versions().get(id) === 2, { timeoutMs: 15_000, what: 'version 2 on SFyC' });
    await waitFor(
      async () => (await platformJobs(stack!, 'sfyc', ['waiting', 'active', 'delayed'])).length === 0,
    );
    expect(view.ticketCount()).toBe(1);
    expect(stack.violations()).toEqual([]);
  }, 40_000);
});
