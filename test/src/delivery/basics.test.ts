import { afterEach, describe, expect, test } from 'vitest';
import { PLATFORMS } from '@tbe/shared';
import { deadLetters, requestsTo, stateOf, waitForReports } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const distinctEntities = (count: number, offset = 0) =>
  Array.from({ length: count }, (_, i) => ({ entity: `GDL-NODO-${1000 + offset + i}/US-1` }));

// The core delivery tests, also with the platform split into partitions (QUEUE_PARTITIONS=4).
const CASES = PLATFORMS.flatMap((platform) => [
  { platform, partitions: 1 },
  { platform, partitions: 4 },
]);

describe.each(CASES)('delivery to $platform with $partitions partition(s)', ({ platform, partitions }) => {
  async function start(env: Record<string, string> = {}) {
    stack = await startStack({ WORKER_PLATFORMS: platform, QUEUE_PARTITIONS: String(partitions), ...env });
    return { stack, view: platformView(stack, platform) };
  }

  test('when new tickets arrive, then each gets one platform ticket and one OT written back, and WM hears created', async () => {
    const { stack, view } = await start();
    const ids = distinctEntities(30).map((partial) => stack.wm.createTicket(partial, [platform]).id);
    stack.startProducer();
    await stack.startWorker();
    const reports = await waitForReports(stack, platform, ids, 'created');
    expect(view.ticketCount()).toBe(ids.length);
    expect(view.workOrderCount()).toBe(ids.length);
    for (const id of ids) {
      expect(view.ticketsOf(id)).toBe(1);
      expect(view.workOrderOf(id)).toBeDefined();
      expect(reports.get(id)?.workOrder).toBe(view.workOrderOf(id));
      expect(reports.get(id)?.attempts).toBe(1);
      expect(reports.get(id)?.externalId).toMatch(/\S/);
    }
    expect((await stateOf(stack, platform, ids[0]!)).state).toBe('created');
    expect(stack.violations()).toEqual([]);
  });

  test('when a create request fails transiently once, then its tickets are retried and created once', async () => {
    const { stack, view } = await start();
    view.sim.faults.add({ path: view.createPath, action: 'status', status: 503, times: 1 });
    const ids = distinctEntities(5).map((partial) => stack.wm.createTicket(partial, [platform]).id);
    stack.startProducer();
    await stack.startWorker();
    await waitForReports(stack, platform, ids, 'created');
    // The tickets of the failed request (all of them, unless the batch was split: partitions
    // batch apart) were tried twice, the others once.
    const failed = (platform === 'cherwell' ? stack.cherwell : stack.sfyc).requests.find((request) =>
      request.path.endsWith(view.createPath),
    )?.ticketIds;
    expect(failed?.length).toBeGreaterThan(0);
    for (const id of ids) {
      expect(view.ticketsOf(id)).toBe(1);
      expect((await stateOf(stack, platform, id)).attempts.create).toBe(failed?.includes(id) ? 2 : 1);
    }
    expect(stack.violations()).toEqual([]);
  });

  test('when the platform rejects a ticket for good, then it goes to the dead letters without a retry and the others pass', async () => {
    const { stack, view } = await start();
    const [bad, ...good] = distinctEntities(4).map(
      (partial) => stack.wm.createTicket(partial, [platform]).id,
    );
    view.sim.faults.add({
      path: view.createPath,
      ticketIds: [bad!],
      action: 'item-error',
      error: 'validation',
    });
    stack.startProducer();
    await stack.startWorker();
    await waitForReports(stack, platform, good, 'created');
    const errors = await waitForReports(stack, platform, [bad!], 'error');
    expect(errors.get(bad!)?.error?.code).toBe('FIELD_INVALID');
    expect(errors.get(bad!)?.attempts).toBe(1);
    expect(requestsTo(stack, platform, view.createPath, bad)).toBe(1);
    const dead = await deadLetters(stack, platform);
    expect(dead).toMatchObject([
      { ticketId: bad, operation: 'create', attempts: 1, lastError: { code: 'FIELD_INVALID' } },
    ]);
    expect((await stateOf(stack, platform, bad!)).state).toBe('error');
    expect(stack.violations()).toEqual([]);
  });

  test('when a ticket fails retryably forever, then it is dead after exactly maxRetries + 1 tries of that operation', async () => {
    const { stack, view } = await start({ [`${platform.toUpperCase()}_MAX_RETRIES`]: '2' });
    const [stuck, ...others] = distinctEntities(3).map(
      (partial) => stack.wm.createTicket(partial, [platform]).id,
    );
    view.sim.faults.add({ path: view.createPath, ticketIds: [stuck!], action: 'item-error', error: 'lock' });
    stack.startProducer();
    await stack.startWorker();
    await waitForReports(stack, platform, others, 'created');
    const errors = await waitForReports(stack, platform, [stuck!], 'error');
    expect(requestsTo(stack, platform, view.createPath, stuck)).toBe(3);
    expect(errors.get(stuck!)?.attempts).toBe(3);
    const [dead] = await deadLetters(stack, platform);
    expect(dead?.attempts).toBe(3);
    expect(dead?.errors.map((error) => error.attempt)).toEqual([1, 2, 3]);
    expect(stack.violations()).toEqual([]);
  });

  test('when one item of a batch fails retryably, then only that ticket is retried', async () => {
    const { stack, view } = await start();
    const ids = distinctEntities(6).map((partial) => stack.wm.createTicket(partial, [platform]).id);
    const flaky = ids[2]!;
    view.sim.faults.add({
      path: view.createPath,
      ticketIds: [flaky],
      action: 'item-error',
      error: 'lock',
      times: 1,
    });
    stack.startProducer();
    await stack.startWorker();
    await waitForReports(stack, platform, ids, 'created');
    for (const id of ids) {
      expect(view.ticketsOf(id)).toBe(1);
      expect((await stateOf(stack, platform, id)).attempts.create).toBe(id === flaky ? 2 : 1);
    }
    expect(stack.violations()).toEqual([]);
  });
});
