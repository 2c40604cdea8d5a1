import { afterEach, describe, expect, test } from 'vitest';
import { PLATFORMS, type Platform } from '@tbe/shared';
import { deadLetters, waitForReport, waitForReports } from '../support/delivery.ts';
import { platformView } from '../support/platform-view.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

function deleteOnPlatform(stack: Stack, platform: Platform, wmTicketId: string): void {
  if (platform === 'cherwell') stack.cherwell.deleteIncident(wmTicketId);
  else stack.sfyc.deleteTicket(wmTicketId);
}

describe.each(PLATFORMS)('a platform ticket deleted on %s', (platform) => {
  test('when its update finds it gone, then it is a dead letter, and a retry runs the first-time flow again', async () => {
    stack = await startStack({ WORKER_PLATFORMS: platform });
    const view = platformView(stack, platform);
    const { api } = await stack.startDashboard();
    const id = stack.wm.createTicket({ entity: 'E-deleted' }, [platform]).id;
    stack.startProducer();
    await stack.startWorker();
    await waitForReports(stack, platform, [id], 'created');
    deleteOnPlatform(stack, platform, id);
    stack.wm.completeTicket(id);
    const error = await waitForReport(stack, { ticketId: id, platform, state: 'error' });
    expect(error.error?.code).toBe('RECORD_NOT_FOUND');
    const [dead] = await deadLetters(stack, platform);
    expect(dead?.operation).toBe('resolve');

    const listed = (await (await api(`/api/dead-letters/${platform}`)).json()) as { items: { id: string }[] };
    const retried = await api(`/api/dead-letters/${platform}/retry`, {
      method: 'POST',
      body: JSON.stringify({ ids: [listed.items[0]!.id] }),
    });
    expect(await retried.json()).toEqual({ retried: 1 });
    // First seen again, already completed: created resolved, without a work order.
    await waitForReport(stack, { ticketId: id, platform, state: 'resolved', version: 2 });
    expect(view.ticketsOf(id)).toBe(1);
    expect(view.resolved(id)).toBe(true);
    expect(await deadLetters(stack, platform)).toEqual([]);
    expect(stack.violations()).toEqual([]);
  });
});
