import { afterEach, describe, expect, test } from 'vitest';
import { PLATFORMS } from '@tbe/shared';
import { requestsTo, stateOf, waitForReports } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { waitFor } from '../support/wait-for.ts';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const entities = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ entity: `MTY-NODO-${i}/US-2` }));

describe.each(PLATFORMS)('faults on %s', (platform) => {
  test.each(['status', 'reset'] as const)(
    'when a create is saved but its answer is lost (%s), then the repeat finds it and nothing is created twice',
    async (then) => {
      stack = await startStack({ WORKER_PLATFORMS: platform });
      const view = platformView(stack, platform);
      view.sim.faults.add({ path: view.createPath, action: 'commit-then-fail', then, status: 500, times: 1 });
      const ids = entities(5).map((partial) => stack!.wm.createTicket(partial, [platform]).id);
      stack.startProducer();
      await stack.startWorker();
      await waitForReports(stack, platform, ids, 'created');
      for (const id of ids) {
        expect(view.ticketsOf(id)).toBe(1);
        expect(view.workOrderOf(id)).toBeDefined();
      }
      expect(view.workOrderCount()).toBe(ids.length);
      expect(stack.violations()).toEqual([]);
    },
  );

  test('when a work order is saved but its answer is lost, then the repeat finds it and no second OT is made', async () => {
    stack = await startStack({ WORKER_PLATFORMS: platform });
    const view = platformView(stack, platform);
    view.sim.setLatencyMs(150);
    const id = stack.wm.createTicket({ entity: 'WO-LOST' }, [platform]).id;
    stack.startProducer();
    await stack.startWorker();
    // Armed once the ticket exists: the next save touching it is the work order.
    await waitFor(() => view.ticketsOf(id) === 1, { intervalMs: 1, what: 'the platform ticket' });
    const workOrderPath = platform === 'cherwell' ? view.createPath : '/v1/work-orders/batch';
    view.sim.faults.add({
      path: workOrderPath,
      ticketIds: [id],
      action: 'commit-then-fail',
      then: 'status',
      status: 500,
      times: 1,
    });
    const created = await waitForReports(stack, platform, [id], 'created');
    expect(view.workOrderCount()).toBe(1);
    expect(created.get(id)?.workOrder).toBe(view.workOrderOf(id));
    expect((await stateOf(stack, platform, id)).attempts.workOrder).toBe(2);
    expect(stack.violations()).toEqual([]);
  });

  test('when the platform answers 503 with Retry-After, then the retry waits that long', async () => {
    stack = await startStack({ WORKER_PLATFORMS: platform });
    const view = platformView(stack, platform);
    view.sim.faults.add({ path: view.createPath, action: 'status', status: 503, retryAfter: 1, times: 1 });
    const [id] = entities(1).map((partial) => stack!.wm.createTicket(partial, [platform]).id);
    stack.startProducer();
    await stack.startWorker();
    await waitForReports(stack, platform, [id!], 'created');
    const creates = view.sim.requests.filter(
      (request) => request.path.endsWith(view.createPath) && request.ticketIds.includes(id!),
    );
    expect(creates[1]!.startedAt - creates[0]!.endedAt!).toBeGreaterThanOrEqual(950);
    expect((await stateOf(stack, platform, id!)).attempts.create).toBe(2);
    expect(stack.violations()).toEqual([]);
  });

  test('when the platform answers 429, then every ticket waits Retry-After and is not charged an attempt', async () => {
    stack = await startStack({ WORKER_PLATFORMS: platform, [`${platform.toUpperCase()}_MAX_RETRIES`]: '0' });
    const view = platformView(stack, platform);
    view.sim.faults.add({ path: view.createPath, action: 'status', status: 429, retryAfter: 1, times: 2 });
    const ids = entities(3).map((partial) => stack!.wm.createTicket(partial, [platform]).id);
    stack.startProducer();
    await stack.startWorker();
    // With no retries at all, a charged 429 would send the tickets to the dead letters.
    const reports = await waitForReports(stack, platform, ids, 'created');
    for (const id of ids) expect(reports.get(id)?.state).toBe('created');
    const creates = view.sim.requests.filter((request) => request.path.endsWith(view.createPath));
    expect(creates[1]!.startedAt - creates[0]!.endedAt!).toBeGreaterThanOrEqual(950);
    expect(stack.violations()).toEqual([]);
  });

  test('when tokens expire and are revoked mid-run, then no ticket is charged anything', async () => {
    stack = await startStack({ WORKER_PLATFORMS: platform });
    const view = platformView(stack, platform);
    view.setTokenTtlSeconds(2);
    stack.startProducer();
    await stack.startWorker();
    const ids: string[] = [];
    for (let round = 0; round < 4; round++) {
      ids.push(
        ...entities(5).map(
          (partial) => stack!.wm.createTicket({ entity: `${partial.entity}-${round}` }, [platform]).id,
        ),
      );
      await waitForReports(stack, platform, ids, 'created');
      if (round === 1) view.revokeTokens();
      await new Promise((resolve) => setTimeout(resolve, 600));
    }
    for (const id of ids) {
      const { attempts } = await stateOf(stack, platform, id);
      expect(attempts).toEqual({ create: 1, workOrder: 1, writeBack: 1 });
    }
    expect(requestsTo(stack, platform, view.tokenPath)).toBeGreaterThan(1);
    expect(stack.violations()).toEqual([]);
  });

  test('when the credentials are wrong, then /readyz says not ready, nothing is charged, and fixing them delivers', async () => {
    stack = await startStack({ WORKER_PLATFORMS: platform });
    const view = platformView(stack, platform);
    view.breakCredentials();
    const ids = entities(3).map((partial) => stack!.wm.createTicket(partial, [platform]).id);
    stack.startProducer();
    const worker = await stack.startWorker();
    await waitFor(
      async () => (await worker.ready()).detail.auth !== undefined && !(await worker.ready()).ready,
    );
    await waitFor(async () => JSON.stringify((await worker.ready()).detail.auth).includes('failed'), {
      what: 'auth failed',
    });
    const tokenTries = requestsTo(stack, platform, view.tokenPath);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Slow re-tries (TBE_AUTH_RETRY_MS = 300 here), never a tight loop.
    expect(requestsTo(stack, platform, view.tokenPath) - tokenTries).toBeLessThanOrEqual(3);
    if (platform === 'cherwell') stack.cherwell.setCredentials({ password: stack.env.CHERWELL_PASSWORD });
    else stack.sfyc.setCredentials({ clientSecret: stack.env.SFYC_CLIENT_SECRET });
    const reports = await waitForReports(stack, platform, ids, 'created');
    for (const id of ids) expect(reports.get(id)?.attempts).toBe(1);
    for (const id of ids) expect((await stateOf(stack, platform, id)).attempts.create).toBe(1);
    expect((await worker.ready()).ready).toBe(true);
    expect(stack.violations()).toEqual([]);
  });
});
