import { afterEach, describe, expect, test } from 'vitest';
import { correlationOf, partitionOf, PartitionCountError, type Part } from '@tbe/shared';
import { deadLetters, partOf, stateOf, waitForReport, waitForReports } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { startStack, type Stack } from '../support/stack.ts';
import {
  basic,
  startDashboardHarness,
  TOKEN,
  type DashboardHarness,
  type Status,
} from '../dashboard/harness.ts';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const PARTITIONS = '4';

describe('partitions (QUEUE_PARTITIONS=4, standalone Redis)', () => {
  test('when tickets of one entity and alarm type arrive, then they share a partition, the oldest creates and the others are noted; other entities spread over partitions', async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'cherwell', QUEUE_PARTITIONS: PARTITIONS });
    const view = platformView(stack, 'cherwell');
    const same = [1, 2, 3].map(
      () => stack!.wm.createTicket({ entity: 'GDL-NODO-0500/US-1', alarmType: 'SNR' }, ['cherwell']).id,
    );
    const others = Array.from(
      { length: 12 },
      (_, i) => stack!.wm.createTicket({ entity: `GDL-NODO-${2000 + i}/US-1` }, ['cherwell']).id,
    );
    stack.startProducer();
    await stack.startWorker();
    await waitForReports(stack, 'cherwell', [same[0]!, ...others], 'created');
    await waitForReports(stack, 'cherwell', same.slice(1), 'noted');
    const sameParts = new Set(await Promise.all(same.map((id) => partOf(stack!, 'cherwell', id))));
    expect(sameParts.size).toBe(1);
    expect(view.ticketsOf(same[0]!)).toBe(1);
    expect(view.ticketsOf(same[1]!)).toBe(0);
    const otherParts = new Set(await Promise.all(others.map((id) => partOf(stack!, 'cherwell', id))));
    expect(otherParts.size).toBeGreaterThan(1);
    expect([...otherParts].every((part) => /^cherwell\.[0-3]$/.test(part ?? ''))).toBe(true);
    // The per-ticket keys carry the partition's hash tag.
    const part = await partOf(stack, 'cherwell', others[0]!);
    expect(await stack.redis.exists(stack.keys.state(part as Part, others[0]!))).toBe(1);
    expect(stack.keys.state(part as Part, others[0]!)).toContain(`{${part}~`);
    expect(await stack.redis.exists(stack.keys.state('cherwell', others[0]!))).toBe(0);
    expect(stack.violations()).toEqual([]);
  });

  test('when a later version names another entity, then the ticket stays in the partition of its first version', async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'cherwell', QUEUE_PARTITIONS: PARTITIONS });
    // An entity whose correlation hashes to another partition than the first one's.
    const first = { entity: 'GDL-NODO-0600/US-1', alarmType: 'SNR' as const };
    const firstIndex = partitionOf(correlationOf(first), 4);
    let moved = 0;
    while (
      partitionOf(correlationOf({ entity: `GDL-NODO-${7000 + moved}/US-1`, alarmType: 'SNR' }), 4) ===
      firstIndex
    )
      moved += 1;
    const id = stack.wm.createTicket(first, ['cherwell']).id;
    stack.startProducer();
    await stack.startWorker();
    await waitForReports(stack, 'cherwell', [id], 'created');
    expect(await partOf(stack, 'cherwell', id)).toBe(`cherwell.${firstIndex}`);
    stack.wm.updateTicket(id, { entity: `GDL-NODO-${7000 + moved}/US-1` });
    await waitForReport(stack, { ticketId: id, platform: 'cherwell', version: 2 });
    expect(await partOf(stack, 'cherwell', id)).toBe(`cherwell.${firstIndex}`);
    expect((await stateOf(stack, 'cherwell', id)).version).toBe(2);
    expect(stack.violations()).toEqual([]);
  });

  test('when a dead letter is retried through the admin API, then it is redriven into its own partition with a fresh budget', async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'sfyc', QUEUE_PARTITIONS: PARTITIONS });
    const view = platformView(stack, 'sfyc');
    const id = stack.wm.createTicket({ entity: 'GDL-NODO-0700/US-1' }, ['sfyc']).id;
    view.sim.faults.add({
      path: view.createPath,
      ticketIds: [id],
      action: 'item-error',
      error: 'validation',
      times: 1,
    });
    stack.startProducer();
    await stack.startWorker();
    const { api } = await stack.startDashboard();
    await waitForReports(stack, 'sfyc', [id], 'error');
    expect(await deadLetters(stack, 'sfyc')).toHaveLength(1);
    const listed = (await (await api('/api/tickets?platform=sfyc&state=error')).json()) as {
      items: { ticketId: string }[];
    };
    expect(listed.items.map((item) => item.ticketId)).toEqual([id]);
    const retried = await api('/api/dead-letters/sfyc/retry', {
      method: 'POST',
      body: JSON.stringify({ ids: [id] }),
    });
    expect(retried.status).toBe(200);
    await waitForReports(stack, 'sfyc', [id], 'created');
    expect(view.ticketsOf(id)).toBe(1);
    const status = (await (await api('/api/status')).json()) as {
      platforms: { sfyc: { counts: { dead: number } } };
    };
    expect(status.platforms.sfyc.counts.dead).toBe(0);
  });

  test('when the switch is turned off, then every partition of the platform is paused and the status says disabled', async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'cherwell', QUEUE_PARTITIONS: PARTITIONS });
    const { api } = await stack.startDashboard();
    const off = await api('/api/platforms/cherwell/processing', {
      method: 'PUT',
      body: JSON.stringify({ enabled: false }),
    });
    expect(await off.json()).toEqual({ platform: 'cherwell', processing: 'disabled' });
    const status = (await (await api('/api/status')).json()) as {
      platforms: { cherwell: { processing: string }; sfyc: { processing: string } };
    };
    expect(status.platforms.cherwell.processing).toBe('disabled');
    for (let i = 0; i < 4; i += 1)
      expect(
        await stack.redis.hexists(
          `${stack.keys.platformPrefix(`cherwell.${i}`)}:cherwell.${i}:meta`,
          'paused',
        ),
      ).toBe(1);
  });

  test('when a worker starts with another QUEUE_PARTITIONS than the queues were made with, then it refuses to start', async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'cherwell', QUEUE_PARTITIONS: PARTITIONS });
    await stack.startWorker();
    await expect(stack.startWorker({ QUEUE_PARTITIONS: '2' })).rejects.toThrow(PartitionCountError);
    await expect(stack.startWorker({ QUEUE_PARTITIONS: '2' })).rejects.toThrow(
      /QUEUE_PARTITIONS is 2 .* 4 ways/,
    );
  });
});

describe('Bull Board with QUEUE_PARTITIONS=4', () => {
  let h: DashboardHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const board = (method: string, path: string): Promise<Response> =>
    fetch(`${h!.url}/admin/queues/api/queues${path}`, {
      method,
      headers: { authorization: basic(TOKEN), 'sec-fetch-site': 'same-origin' },
    });

  test('when one partition is paused from the board, then the whole platform is paused and reads off; resume is platform-wide too', async () => {
    h = await startDashboardHarness({ QUEUE_PARTITIONS: PARTITIONS });
    const listed = (await (await board('GET', '')).json()) as {
      queues: { name: string; description: string }[];
    };
    const names = listed.queues.map((queue) => queue.name);
    expect(names).toEqual(
      expect.arrayContaining(['cherwell.0', 'cherwell.1', 'cherwell.2', 'cherwell.3', 'cherwell-dead']),
    );
    expect(listed.queues.find((queue) => queue.name === 'cherwell.2')?.description).toContain(
      'partition 2 of 4',
    );
    expect((await board('PUT', '/cherwell.2/pause')).status).toBe(200);
    for (const part of ['cherwell.0', 'cherwell.1', 'cherwell.2', 'cherwell.3'])
      expect(await h.queue(part).isPaused()).toBe(true);
    expect(await h.queue('sfyc.0').isPaused()).toBe(false);
    expect((await h.api<Status>('GET', '/api/status')).body.platforms.cherwell.processing).toBe('disabled');
    expect((await board('PUT', '/cherwell.0/resume')).status).toBe(200);
    for (const part of ['cherwell.0', 'cherwell.1', 'cherwell.2', 'cherwell.3'])
      expect(await h.queue(part).isPaused()).toBe(false);
    expect((await h.api<Status>('GET', '/api/status')).body.platforms.cherwell.processing).toBe('enabled');
  });
});
