import { afterEach, describe, expect, test } from 'vitest';
import { requestsTo, waitForReports } from '../support/delivery.ts';
import { spawnRole, type RoleProcess } from '../support/role-process.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack | undefined;
const children: RoleProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill('SIGKILL');
    await child.exited;
  }
  await stack?.stop();
  stack = undefined;
});

describe('run-time settings', () => {
  test('when maxTicketsPerRequest is lowered, then every request of two worker processes respects it from 2 s after the change', async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'sfyc', TBE_SETTINGS_REFRESH_MS: '1000' });
    const { sfyc, wm } = stack;
    sfyc.setLatencyMs(30);
    const { api } = await stack.startDashboard();
    stack.startProducer();
    children.push(spawnRole('worker', stack.env), spawnRole('worker', stack.env));
    const warmUp = Array.from(
      { length: 40 },
      (_, i) => wm.createTicket({ entity: `E-warm-${i}` }, ['sfyc']).id,
    );
    await waitForReports(stack, 'sfyc', warmUp, 'created');

    const changed = await api('/api/platforms/sfyc/settings', {
      method: 'PATCH',
      body: JSON.stringify({ maxTicketsPerRequest: 7 }),
    });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as { maxTicketsPerRequest: unknown }).maxTicketsPerRequest).toEqual({
      value: 7,
      source: 'runtime',
    });
    const changedAt = Date.now();
    // A backlog that keeps both processes busy across the 2 s boundary and after it.
    const ids: string[] = [];
    while (Date.now() - changedAt < 4000) {
      ids.push(
        ...Array.from(
          { length: 40 },
          (_, i) => wm.createTicket({ entity: `E-${ids.length + i}` }, ['sfyc']).id,
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await waitForReports(stack, 'sfyc', ids, 'created', 40_000);
    const late = sfyc.requests.filter(
      (request) => request.startedAt >= changedAt + 2000 && request.ticketIds.length > 0,
    );
    expect(late.length).toBeGreaterThan(10);
    expect(Math.max(...late.map((request) => request.ticketIds.length))).toBeLessThanOrEqual(7);
    // Both processes took part: each holds a token of its own.
    expect(requestsTo(stack, 'sfyc', '/oauth/token')).toBeGreaterThanOrEqual(2);
    const violations = stack.violations().filter((violation) => violation.kind !== 'batch-too-large');
    expect(violations).toEqual([]);
  }, 60_000);
});
