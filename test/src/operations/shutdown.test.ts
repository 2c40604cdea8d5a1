import { afterEach, describe, expect, test } from 'vitest';
import { waitForReports } from '../support/delivery.ts';
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

describe('graceful shutdown', () => {
  test('when a worker gets SIGTERM mid-batch, then it finishes its requests, exits 0 in time, and nothing is lost or doubled', async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'cherwell', SHUTDOWN_TIMEOUT_MS: '5000' });
    const view = platformView(stack, 'cherwell');
    view.sim.setLatencyMs(400);
    stack.startProducer();
    child = spawnRole('worker', stack.env);
    const ids = Array.from(
      { length: 30 },
      (_, i) => stack!.wm.createTicket({ entity: `E-term-${i}` }, ['cherwell']).id,
    );
    await waitFor(
      () => view.sim.requests.some((r) => r.outcome === 'pending' && r.path.endsWith(view.createPath)),
      {
        timeoutMs: 20_000,
        intervalMs: 5,
        what: 'a create in flight',
      },
    );
    const termAt = Date.now();
    child.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    expect(Date.now() - termAt).toBeLessThan(6000);
    // What the stopped worker did not finish, another picks up.
    view.sim.setLatencyMs(0);
    await stack.startWorker();
    await waitForReports(stack, 'cherwell', ids, 'created', 30_000);
    expect(view.ticketCount()).toBe(ids.length);
    expect(view.workOrderCount()).toBe(ids.length);
    expect(stack.violations()).toEqual([]);
  }, 60_000);

  test('when a worker whose platform refuses its credentials gets SIGTERM, then it exits 0 at once', async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'sfyc' });
    child = spawnRole('worker', { ...stack.env, SFYC_CLIENT_SECRET: 'not-the-secret', LOG_LEVEL: 'info' });
    await waitFor(() => child!.logs.some((line) => line.msg === 'platform not ready; trying again'), {
      what: 'the credentials refused',
    });
    const termAt = Date.now();
    child.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    expect(Date.now() - termAt).toBeLessThan(3000);
  });
});
