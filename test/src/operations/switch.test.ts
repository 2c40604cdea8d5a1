import { afterEach, describe, expect, test } from 'vitest';
import { jobCounts, waitForReports } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { waitFor } from '../support/wait-for.ts';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe('the processing switch', () => {
  test('when processing is disabled for 10 s, then nothing is sent while tickets keep arriving, and enabling drains them', async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'cherwell' });
    const view = platformView(stack, 'cherwell');
    const { api } = await stack.startDashboard();
    stack.startProducer();
    await stack.startWorker();
    const first = stack.wm.createTicket({ entity: 'E-before' }, ['cherwell']).id;
    await waitForReports(stack, 'cherwell', [first], 'created');

    const disabled = await api('/api/platforms/cherwell/processing', {
      method: 'PUT',
      body: JSON.stringify({ enabled: false }),
    });
    expect(await disabled.json()).toEqual({ platform: 'cherwell', processing: 'disabled' });
    const sentBefore = view.sim.requests.length;
    const disabledAt = Date.now();
    const ids: string[] = [];
    let received = 0;
    while (Date.now() - disabledAt < 10_000) {
      ids.push(stack.wm.createTicket({ entity: `E-${ids.length}` }, ['cherwell']).id);
      const counts = await jobCounts(stack, 'cherwell');
      expect(counts.waiting ?? 0).toBeGreaterThanOrEqual(received);
      received = counts.waiting ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await waitFor(async () => ((await jobCounts(stack!, 'cherwell')).waiting ?? 0) === ids.length, {
      what: 'every ticket received',
    });
    expect(view.sim.requests.length).toBe(sentBefore);
    const status = (await (await api('/api/status')).json()) as {
      platforms: { cherwell: { processing: string } };
    };
    expect(status.platforms.cherwell.processing).toBe('disabled');

    await api('/api/platforms/cherwell/processing', {
      method: 'PUT',
      body: JSON.stringify({ enabled: true }),
    });
    const reports = await waitForReports(stack, 'cherwell', ids, 'created');
    for (const id of ids) expect(reports.get(id)?.attempts).toBe(1);
    expect(stack.violations()).toEqual([]);
  }, 45_000);

  test('when processing is disabled while tickets wait in a batch, then that batch is not sent and goes back to the queue at no cost', async () => {
    // A long batch wait keeps the tickets in this process's batch when the switch goes off.
    stack = await startStack({ WORKER_PLATFORMS: 'cherwell', CHERWELL_BATCH_WAIT_MS: '3000' });
    const view = platformView(stack, 'cherwell');
    const { api } = await stack.startDashboard();
    stack.startProducer();
    await stack.startWorker();
    const ids = Array.from(
      { length: 5 },
      (_, i) => stack!.wm.createTicket({ entity: `E-held-${i}` }, ['cherwell']).id,
    );
    await waitFor(async () => (await jobCounts(stack!, 'cherwell')).active === ids.length, {
      what: 'the batch to gather',
    });
    const sentBefore = view.sim.requests.length;
    await api('/api/platforms/cherwell/processing', {
      method: 'PUT',
      body: JSON.stringify({ enabled: false }),
    });
    await waitFor(async () => (await jobCounts(stack!, 'cherwell')).waiting === ids.length, {
      what: 'the batch back in the queue',
    });
    expect(view.sim.requests.length).toBe(sentBefore);
    await api('/api/platforms/cherwell/processing', {
      method: 'PUT',
      body: JSON.stringify({ enabled: true }),
    });
    const reports = await waitForReports(stack, 'cherwell', ids, 'created');
    for (const id of ids) expect(reports.get(id)?.attempts).toBe(1);
    expect(stack.violations()).toEqual([]);
  });
});
