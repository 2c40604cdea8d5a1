import { afterEach, describe, expect, test } from 'vitest';
import { PLATFORMS } from '@tbe/shared';
import { jobCounts, requestsTo, waitForReports } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { waitFor } from '../support/wait-for.ts';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe.each(PLATFORMS)('versions on %s', (platform) => {
  test('when the feed serves the same changes again, then nothing is sent twice', async () => {
    stack = await startStack({ WORKER_PLATFORMS: platform });
    const view = platformView(stack, platform);
    const ids = Array.from(
      { length: 5 },
      (_, i) => stack!.wm.createTicket({ entity: `E-${i}` }, [platform]).id,
    );
    stack.wm.updateTicket(ids[0]!, { alarmCount: 99 });
    stack.startProducer();
    await stack.startWorker();
    await waitForReports(stack, platform, ids, 'created');
    const sentBefore = view.sim.requests.length;
    const pollsBefore = stack.wm.requests.length;
    stack.wm.replayFrom(1);
    // The producer reads the whole feed again (at least two more polls), and queues nothing.
    await waitFor(() => stack!.wm.requests.length >= pollsBefore + 3, { what: 'the replay to be read' });
    expect(await jobCounts(stack, platform)).toMatchObject({ waiting: 0, active: 0, delayed: 0 });
    expect(view.sim.requests.length).toBe(sentBefore);
    expect(view.versionOf(ids[0]!)).toBe(2);
    expect(stack.violations()).toEqual([]);
  });

  test('when 200 tickets get 10 rapid versions, then each ends at its last version with far fewer requests than versions', async () => {
    stack = await startStack({ WORKER_PLATFORMS: platform });
    const view = platformView(stack, platform);
    stack.startProducer();
    await stack.startWorker();
    const ids = Array.from(
      { length: 200 },
      (_, i) => stack!.wm.createTicket({ entity: `E-${i}` }, [platform]).id,
    );
    for (let version = 2; version <= 10; version++) {
      for (const id of ids) stack.wm.updateTicket(id, { alarmCount: version });
      await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor(
      () => {
        const versions = view.versions();
        return ids.every((id) => versions.get(id) === 10);
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'version 10 everywhere' },
    );
    await waitFor(async () => {
      const counts = await jobCounts(stack!, platform);
      return (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) === 0;
    });
    const writes = requestsTo(stack, platform, view.createPath);
    // 2,000 versions; a request carries up to 50 tickets: the bound is generous on purpose.
    expect(writes).toBeLessThan(2000 / 10);
    expect(view.ticketCount()).toBe(200);
    expect(stack.violations()).toEqual([]);
  });

  test('when versions are skipped or arrive completed, then the platform ticket follows and is resolved', async () => {
    stack = await startStack({ WORKER_PLATFORMS: platform });
    const view = platformView(stack, platform);
    const id = stack.wm.createTicket({ entity: 'E-skip' }, [platform]).id;
    stack.startProducer();
    await stack.startWorker();
    await waitForReports(stack, platform, [id], 'created');
    stack.wm.updateTicket(id, { alarmCount: 5 }, { skipVersions: 3 });
    const updated = await waitForReports(stack, platform, [id], 'updated');
    expect(updated.get(id)?.version).toBe(5);
    expect(view.versionOf(id)).toBe(5);
    stack.wm.completeTicket(id);
    const resolved = await waitForReports(stack, platform, [id], 'resolved');
    expect(resolved.get(id)?.workOrder).toBe(view.workOrderOf(id));
    expect(view.resolved(id)).toBe(true);
    expect(stack.violations()).toEqual([]);
  });

  test('when a ticket is first seen already completed, then it is created resolved without a work order', async () => {
    stack = await startStack({ WORKER_PLATFORMS: platform });
    const view = platformView(stack, platform);
    const id = stack.wm.createTicket({ entity: 'E-late' }, [platform]).id;
    stack.wm.completeTicket(id);
    stack.startProducer();
    await stack.startWorker();
    const reports = await waitForReports(stack, platform, [id], 'resolved');
    expect(reports.get(id)?.workOrder).toBeNull();
    expect(view.resolved(id)).toBe(true);
    expect(view.workOrderCount()).toBe(0);
    expect(stack.violations()).toEqual([]);
  });
});
