import { afterEach, describe, expect, test } from 'vitest';
import { waitForReports } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { waitFor } from '../support/wait-for.ts';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe('WM status reports', () => {
  test('when WM refuses reports for a while, then delivery goes on, and every report arrives once WM accepts again', async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'sfyc' });
    const view = platformView(stack, 'sfyc');
    const refusing = stack.wm.faults.add({ path: '/tickets/status', action: 'status', status: 503 });
    const ids = Array.from(
      { length: 120 },
      (_, i) => stack!.wm.createTicket({ entity: `E-rep-${i}` }, ['sfyc']).id,
    );
    stack.startProducer();
    await stack.startWorker();
    // Delivered while no report gets through.
    await waitFor(() => ids.every((id) => view.workOrderOf(id) !== undefined), {
      timeoutMs: 20_000,
      what: 'delivery',
    });
    expect(stack.wm.statusReports()).toEqual([]);
    stack.wm.faults.remove(refusing);
    const reports = await waitForReports(stack, 'sfyc', ids, 'created', 20_000);
    expect(reports.size).toBe(ids.length);
    // Batched: far fewer report requests than tickets, none above WM's 500.
    const accepted = stack.wm.requests.filter((r) => r.path.endsWith('/tickets/status') && r.status === 204);
    expect(accepted.length).toBeLessThan(ids.length / 10);
    expect(stack.violations()).toEqual([]);
  }, 40_000);
});
