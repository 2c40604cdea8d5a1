import { afterEach, describe, expect, test } from 'vitest';
import { startStack, type Stack } from '../support/stack.ts';
import { waitFor } from '../support/wait-for.ts';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe('delivery to Cherwell', () => {
  test('when new tickets arrive, then each gets one incident, one work order written back, and WM hears created', async () => {
    stack = await startStack({ WORKER_PLATFORMS: 'cherwell' });
    const { wm, cherwell } = stack;
    const tickets = Array.from({ length: 30 }, (_, i) =>
      wm.createTicket({ entity: `GDL-NODO-${1000 + i}/US-1` }, ['cherwell']),
    );
    stack.startProducer();
    await stack.startWorker();
    const reports = await waitFor(
      () => {
        const created = wm.statusReports().filter((report) => report.state === 'created');
        return created.length >= tickets.length && created;
      },
      { timeoutMs: 20_000, what: 'created reports' },
    );
    expect(cherwell.incidents()).toHaveLength(tickets.length);
    expect(cherwell.workOrders()).toHaveLength(tickets.length);
    for (const incident of cherwell.incidents()) {
      expect(incident.fields.WorkOrderNumber).toMatch(/\S/);
    }
    for (const report of reports) {
      const incident = cherwell.incident(report.ticketId);
      expect(report.externalId).toBe(incident?.busObPublicId);
      expect(report.workOrder).toBe(incident?.fields.WorkOrderNumber);
      expect(report.attempts).toBe(1);
    }
    expect(stack.violations()).toEqual([]);
  });
});
