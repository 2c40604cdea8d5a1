import { afterEach, describe, expect, test } from 'vitest';
import { PLATFORMS } from '@tbe/shared';
import { jobCounts, stateOf, waitForReports } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { spawnRole, type RoleProcess } from '../support/role-process.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { waitFor } from '../support/wait-for.ts';

let stack: Stack | undefined;
let child: RoleProcess | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  await child?.exited;
  child = undefined;
  await stack?.stop();
  stack = undefined;
});

/** Tickets in groups sharing an entity: creates, notes and work orders all in play. */
function createTickets(stack: Stack, platform: (typeof PLATFORMS)[number], count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) =>
      stack.wm.createTicket({ entity: `GDL-NODO-${Math.floor(i / 3)}/US-1`, alarmType: 'SNR' }, [platform])
        .id,
  );
}

describe.each(PLATFORMS)('replicas on %s', (platform) => {
  test('when two worker processes run at once, then every ticket is delivered once, with no overlapping requests', async () => {
    stack = await startStack({
      WORKER_PLATFORMS: platform,
      [`${platform.toUpperCase()}_MAX_TICKETS_PER_REQUEST`]: '10',
    });
    const view = platformView(stack, platform);
    view.sim.setMaxTicketsPerRequest(10);
    view.sim.setLatencyMs(20);
    stack.startProducer();
    await Promise.all([stack.startWorker(), stack.startWorker()]);
    const ids = createTickets(stack, platform, 90);
    const [creators] = [ids.filter((_, i) => i % 3 === 0)];
    await waitForReports(stack, platform, creators, 'created');
    await waitForReports(
      stack,
      platform,
      ids.filter((_, i) => i % 3 !== 0),
      'noted',
    );
    expect(view.ticketCount()).toBe(30);
    expect(view.workOrderCount()).toBe(30);
    expect(stack.violations()).toEqual([]);
  });

  test('when a worker process is killed with SIGKILL mid-batch, then another takes its jobs and nothing is lost or doubled', async () => {
    stack = await startStack({ WORKER_PLATFORMS: platform });
    const view = platformView(stack, platform);
    view.sim.setLatencyMs(400);
    stack.startProducer();
    child = spawnRole('worker', stack.env);
    const ids = createTickets(stack, platform, 60);
    // Kill it while it has requests in flight (their answers never reach it).
    await waitFor(
      () =>
        view.sim.requests.some(
          (request) => request.outcome === 'pending' && request.path.endsWith(view.createPath),
        ),
      {
        timeoutMs: 20_000,
        intervalMs: 5,
        what: 'a create in flight',
      },
    );
    child.kill('SIGKILL');
    await child.exited;
    view.sim.setLatencyMs(0);
    await stack.startWorker();
    await waitForReports(
      stack,
      platform,
      ids.filter((_, i) => i % 3 === 0),
      'created',
      40_000,
    );
    await waitForReports(
      stack,
      platform,
      ids.filter((_, i) => i % 3 !== 0),
      'noted',
      40_000,
    );
    expect(view.ticketCount()).toBe(20);
    expect(view.workOrderCount()).toBe(20);
    expect(stack.violations()).toEqual([]);
  }, 60_000);
});

describe('a frozen worker', () => {
  test('when a worker freezes mid-create past its locks and another takes over, then on waking it sends and writes nothing', async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'cherwell', CHERWELL_REQUEST_TIMEOUT_MS: '30000' });
    const view = platformView(stack, 'cherwell');
    view.sim.setLatencyMs(300);
    stack.startProducer();
    // Its log tells when it finished the request it was frozen in.
    child = spawnRole('worker', { ...stack.env, LOG_LEVEL: 'info' });
    const id = stack.wm.createTicket({ entity: 'FRZ-1', alarmType: 'SNR' }, ['cherwell']).id;
    // Frozen with the open-ticket search (its second request) in flight, before its create.
    const searches = () => view.sim.requests.filter((r) => r.path.endsWith('getsearchresults')).length;
    const saves = () => view.sim.requests.filter((r) => r.path.endsWith('savebusinessobjectbatch')).length;
    await waitFor(() => searches() >= 2 && saves() === 0, {
      timeoutMs: 20_000,
      intervalMs: 2,
      what: 'the search in flight',
    });
    child.kill('SIGSTOP');
    view.sim.setLatencyMs(0);
    await stack.startWorker();
    await waitForReports(stack, 'cherwell', [id], 'created', 30_000);
    const requestsBefore = view.sim.requests.length;
    const loggedBefore = child.logs.filter((line) => line.msg === 'platform request').length;
    child.kill('SIGCONT');
    // Awake: its search answer arrives, its locks are gone; it must stay silent.
    const requestsLogged = () => child!.logs.filter((line) => line.msg === 'platform request').length;
    await waitFor(() => requestsLogged() > loggedBefore, { what: 'the woken worker to finish its search' });
    await waitFor(async () => {
      const counts = await jobCounts(stack!, 'cherwell');
      return (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) === 0;
    });
    expect(view.ticketsOf(id)).toBe(1);
    expect(view.workOrderCount()).toBe(1);
    expect(view.sim.requests.length).toBe(requestsBefore);
    expect((await stateOf(stack, 'cherwell', id)).state).toBe('created');
    expect(stack.violations()).toEqual([]);
  }, 60_000);
});
