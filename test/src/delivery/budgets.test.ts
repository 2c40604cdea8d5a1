import { afterEach, describe, expect, test } from 'vitest';
import { jobCounts, requestsTo, stateOf, waitForReports } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { waitFor } from '../support/wait-for.ts';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe('budgets belong to one operation of one version', () => {
  test('when a new version arrives while a ticket fails its way to the dead letters, then it gets no second budget for the same version', async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'sfyc', SFYC_MAX_RETRIES: '1' });
    const view = platformView(stack, 'sfyc');
    const id = stack.wm.createTicket({ entity: 'DN-1' }, ['sfyc']).id;
    view.sim.faults.add({ path: view.createPath, ticketIds: [id], action: 'item-error', error: 'lock' });
    view.sim.setLatencyMs(1500);
    stack.startProducer();
    await stack.startWorker();
    // v2 arrives while the first try is in flight: BullMQ keeps a next job for the ticket.
    await waitFor(
      () =>
        view.sim.requests.some(
          (r) => r.outcome === 'pending' && r.path.endsWith(view.createPath) && r.ticketIds.includes(id),
        ),
      { intervalMs: 5, what: 'the first try in flight' },
    );
    stack.wm.updateTicket(id, { alarmCount: 7 });
    await waitForReports(stack, 'sfyc', [id], 'error');
    view.sim.setLatencyMs(0);
    await waitFor(async () => {
      const counts = await jobCounts(stack!, 'sfyc');
      return (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) === 0;
    });
    expect(requestsTo(stack, 'sfyc', view.createPath, id)).toBe(2);
    expect(stack.wm.statusReports().filter((r) => r.ticketId === id && r.state === 'error')).toHaveLength(1);
  }, 40_000);

  test('when the next operation changes while a job waits to retry, then the new operation starts with a budget of its own', async () => {
    stack = await startStack({
      WORKER_PLATFORMS: 'sfyc',
      SFYC_MAX_RETRIES: '1',
      BACKOFF_BASE_MS: '2000',
      BACKOFF_MAX_MS: '4000',
    });
    const view = platformView(stack, 'sfyc');
    const id = stack.wm.createTicket({ entity: 'OP-1' }, ['sfyc']).id;
    stack.startProducer();
    await stack.startWorker();
    await waitForReports(stack, 'sfyc', [id], 'created');
    view.sim.faults.add({
      path: view.createPath,
      ticketIds: [id],
      action: 'item-error',
      error: 'lock',
      times: 1,
    });
    stack.wm.updateTicket(id, { alarmCount: 9 });
    await waitFor(async () => (await stateOf(stack!, 'sfyc', id)).state === 'retrying', {
      what: 'the update retrying',
    });
    stack.wm.completeTicket(id);
    // The resolve fails once too: on the update's spent budget that would be its death.
    view.sim.faults.add({
      path: view.createPath,
      ticketIds: [id],
      action: 'item-error',
      error: 'lock',
      times: 1,
    });
    const resolved = await waitForReports(stack, 'sfyc', [id], 'resolved', 20_000);
    expect(resolved.get(id)?.attempts).toBe(2);
    expect(stack.wm.statusReports().filter((r) => r.ticketId === id && r.state === 'error')).toEqual([]);
    expect(view.resolved(id)).toBe(true);
  }, 40_000);
});
