import type { RecordedRequest } from '@tbe/simulators';
import { afterEach, describe, expect, test } from 'vitest';
import { platformJobs, waitForReports } from '../support/delivery.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { waitFor } from '../support/wait-for.ts';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/** SFyC's create, work order and write-back requests in the order they were sent. */
function flowRequests(
  requests: readonly RecordedRequest[],
): { kind: string; ids: string; request: RecordedRequest }[] {
  return requests
    .flatMap((request) => {
      const body = request.body as { operations?: { fields?: Record<string, unknown> }[] } | null;
      const fields = body?.operations?.[0]?.fields ?? {};
      const kind = request.path.endsWith('/v1/work-orders/batch')
        ? 'workOrder'
        : !request.path.endsWith('/v1/tickets/batch')
          ? undefined
          : 'workOrder' in fields
            ? 'writeBack'
            : 'status' in fields
              ? 'create'
              : undefined;
      return kind ? [{ kind, ids: [...request.ticketIds].sort().join(','), request }] : [];
    })
    .sort((a, b) => a.request.id - b.request.id);
}

describe('no step starves another', () => {
  test('when a backlog of new tickets drains, then each create batch is followed by its work orders and write-backs, with no second batch wait', async () => {
    const batchWaitMs = 1500;
    stack = await startStack({
      WORKER_PLATFORMS: 'sfyc',
      SFYC_MAX_TICKETS_PER_REQUEST: '4',
      SFYC_MAX_IN_FLIGHT: '1',
      SFYC_BATCH_WAIT_MS: String(batchWaitMs),
    });
    // 14 = three full create batches and one of 2, which waits batchWaitMs (the backlog's tail).
    const ids = Array.from(
      { length: 14 },
      (_, i) => stack!.wm.createTicket({ entity: `STORM-${i}` }, ['sfyc']).id,
    );
    stack.startProducer();
    await waitFor(async () => (await platformJobs(stack!, 'sfyc', ['waiting'])).length === ids.length, {
      what: 'the backlog queued',
    });
    await stack.startWorker();
    await waitForReports(stack, 'sfyc', ids, 'created');

    const sent = flowRequests(stack.sfyc.requests);
    const creates = sent.filter((request) => request.kind === 'create');
    expect(creates.map((create) => create.request.ticketIds.length)).toEqual([4, 4, 4, 2]);
    // One request slot: a create batch's tickets take it for their work order and then their
    // write-back before the next create batch does.
    expect(sent.map((request) => `${request.kind} ${request.ids}`)).toEqual(
      creates.flatMap((create) =>
        ['create', 'workOrder', 'writeBack'].map((kind) => `${kind} ${create.ids}`),
      ),
    );
    // The last tickets' work order and write-back are not full batches: they go at once.
    for (const create of creates) {
      const writeBack = sent.find((request) => request.kind === 'writeBack' && request.ids === create.ids);
      expect((writeBack?.request.endedAt ?? Infinity) - (create.request.endedAt ?? 0)).toBeLessThan(
        batchWaitMs / 2,
      );
    }
  }, 40_000);
});
