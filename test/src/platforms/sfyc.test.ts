import { startSfycSimulator, type SfycSimulator } from '@tbe/simulators';
import { noteText } from '@tbe/workers/flow/texts';
import type { PlatformAdapter } from '@tbe/workers/platform/adapter';
import { createSfycAdapter } from '@tbe/workers/sfyc/adapter';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { failureOf, okValue, requestsTo, sfycConfig, wmTicket } from './fixtures.ts';

let sim: SfycSimulator;
let adapter: PlatformAdapter;
/** The violations a test provokes on purpose; every other use must leave none. */
let expectedViolations: string[] = [];

beforeAll(async () => {
  sim = await startSfycSimulator();
});
afterAll(() => sim.close());
beforeEach(async () => {
  sim.reset();
  expectedViolations = [];
  adapter = createSfycAdapter(sfycConfig(sim), { authRetryMs: 1000 });
  await adapter.init();
});
afterEach(async () => {
  await adapter.close();
  expect(sim.violations().map((v) => v.kind)).toEqual(expectedViolations);
});

describe('sfyc adapter', () => {
  test('when a ticket goes through its whole life, then the simulator holds each step and sees no violation', async () => {
    const a = wmTicket();
    const b = wmTicket({ state: 'completed', completedAt: '2026-11-26T10:00:00Z' });
    const created = await adapter.create([
      { ticket: a, resolved: false },
      { ticket: b, resolved: true },
    ]);
    const refA = okValue(created[0]);
    expect(sim.ticket(a.id)).toMatchObject({
      id: refA.id,
      version: 1,
      fields: {
        summary: a.summary,
        priority: 2,
        alarmCount: 17,
        status: 'open',
        entity: a.entity,
        branchId: 'GDL-01',
      },
    });
    expect(sim.ticket(b.id)?.fields.status).toBe('resolved');

    const found = await adapter.findByWmIds([a.id, b.id, 'WM-absent']);
    expect([...found.keys()].sort()).toEqual([a.id, b.id].sort());
    expect(found.get(a.id)).toEqual({
      id: refA.id,
      wmTicketId: a.id,
      version: 1,
      workOrder: undefined,
      open: true,
    });
    expect(found.get(b.id)?.open).toBe(false);

    const open = await adapter.findOpen([
      { entity: a.entity, alarmType: 'SNR' },
      { entity: b.entity, alarmType: 'SNR' },
    ]);
    expect(open).toEqual([{ id: refA.id, entity: a.entity, alarmType: 'SNR', wmTicketId: a.id }]);

    const c = wmTicket({ entity: a.entity });
    expect(
      (await adapter.addNotes([{ host: refA, ticket: c, text: noteText(c), repeat: false }]))[0]?.ok,
    ).toBe(true);
    expect(sim.notes()).toEqual([
      expect.objectContaining({ ticketId: refA.id, externalId: c.id, text: noteText(c) }),
    ]);
    expect(await adapter.findByWmIds([c.id])).toEqual(new Map());

    const workOrder = okValue((await adapter.createWorkOrders([{ ref: refA, ticket: a }]))[0]);
    expect(sim.workOrders()).toEqual([
      expect.objectContaining({ workOrder, ticketId: refA.id, title: `[WM ${a.id}] ${a.summary}` }),
    ]);
    // Asking again (an answer lost) gives the same OT, not a second one.
    expect(okValue((await adapter.createWorkOrders([{ ref: refA, ticket: a }]))[0])).toBe(workOrder);
    expect(sim.workOrders()).toHaveLength(1);

    expect((await adapter.writeWorkOrder([{ ref: refA, ticket: a, workOrder }]))[0]?.ok).toBe(true);
    expect(sim.ticket(a.id)?.fields.workOrder).toBe(workOrder);

    const a2 = { ...a, version: 2, summary: 'worse', alarmCount: 40 };
    expect((await adapter.update([{ ref: refA, ticket: a2 }]))[0]?.ok).toBe(true);
    expect(sim.ticket(a.id)).toMatchObject({
      version: 2,
      fields: { summary: 'worse', alarmCount: 40, status: 'open', workOrder },
    });

    const a3 = { ...a2, version: 3, state: 'completed' as const };
    expect((await adapter.resolve([{ ref: refA, ticket: a3 }]))[0]?.ok).toBe(true);
    expect(sim.ticket(a.id)).toMatchObject({ version: 3, fields: { status: 'resolved' } });
    expect((await adapter.findByWmIds([a.id])).get(a.id)).toMatchObject({
      version: 3,
      workOrder,
      open: false,
    });
    expect(sim.violations()).toEqual([]);
  });

  test('when a create is repeated after a lost answer, then the upsert finds the same ticket', async () => {
    const a = wmTicket();
    const first = okValue((await adapter.create([{ ticket: a, resolved: false }]))[0]);
    const again = okValue((await adapter.create([{ ticket: a, resolved: false }]))[0]);
    expect(again.id).toBe(first.id);
    expect(sim.tickets()).toHaveLength(1);
  });

  test('when an upsert is answered stale, then it is a success that changed nothing', async () => {
    const a = wmTicket({ version: 5 });
    const ref = okValue((await adapter.create([{ ticket: a, resolved: false }]))[0]);
    const results = await adapter.update([{ ref, ticket: { ...a, version: 4, summary: 'older' } }]);
    expect(results[0]?.ok).toBe(true);
    expect(sim.ticket(a.id)).toMatchObject({ version: 5, fields: { summary: a.summary } });
    // The simulator calls it a regression: the flow never sends one; the adapter only reads it.
    expectedViolations = ['version-regression'];
  });

  test('when some operations fail, then only those items fail, permanent or retryable as SFyC says', async () => {
    const [a, b, c] = [wmTicket(), wmTicket(), wmTicket()];
    sim.faults.add({
      path: '/v1/tickets/batch',
      action: 'item-error',
      error: 'validation',
      ticketIds: [b.id],
    });
    sim.faults.add({ path: '/v1/tickets/batch', action: 'item-error', error: 'lock', ticketIds: [c.id] });
    const results = await adapter.create([a, b, c].map((ticket) => ({ ticket, resolved: false })));
    expect(results[0]?.ok).toBe(true);
    expect(results[1]).toMatchObject({
      ok: false,
      error: { name: 'ItemError', code: 'FIELD_INVALID', retryable: false },
    });
    expect(results[2]).toMatchObject({ ok: false, error: { code: 'LOCKED', retryable: true } });
    expect(sim.tickets().map((t) => t.externalId)).toEqual([a.id]);
  });

  test('when a note names a ticket that is gone, then that note fails permanently with RECORD_NOT_FOUND', async () => {
    const [a, c] = [wmTicket(), wmTicket()];
    const results = await adapter.addNotes([
      { host: { id: 'SF-999999' }, ticket: a, text: noteText(a), repeat: false },
      { host: { id: 'SF-999999' }, ticket: c, text: noteText(c), repeat: false },
    ]);
    expect(results.map((r) => !r.ok && r.error)).toEqual([
      expect.objectContaining({ code: 'RECORD_NOT_FOUND', retryable: false }),
      expect.objectContaining({ code: 'RECORD_NOT_FOUND', retryable: false }),
    ]);
  });

  test('when SFyC answers 413, then the request is split in halves and every item succeeds', async () => {
    const tickets = Array.from({ length: 5 }, () => wmTicket());
    sim.faults.add({ path: '/v1/tickets/batch', action: 'status', status: 413, times: 1 });
    const results = await adapter.create(tickets.map((ticket) => ({ ticket, resolved: false })));
    expect(results.every((r) => r.ok)).toBe(true);
    const sizes = requestsTo(sim, '/v1/tickets/batch').map(
      (r) => (r.body as { operations: unknown[] }).operations.length,
    );
    expect(sizes).toEqual([5, 3, 2]);
    expect(sim.tickets()).toHaveLength(5);
  });

  test('when one item is too large even alone, then only that item fails, permanently', async () => {
    const tickets = Array.from({ length: 4 }, () => wmTicket());
    const big = tickets[2]?.id ?? '';
    sim.faults.add({ path: '/v1/tickets/batch', action: 'status', status: 413, ticketIds: [big] });
    const results = await adapter.create(tickets.map((ticket) => ({ ticket, resolved: false })));
    expect(results.map((r) => r.ok)).toEqual([true, true, false, true]);
    expect(results[2]).toMatchObject({ ok: false, error: { code: 'TOO_LARGE', retryable: false } });
    expect(sim.tickets()).toHaveLength(3);
  });

  test('when work orders answer 413, then they are split too', async () => {
    const tickets = [wmTicket(), wmTicket()];
    const refs = (await adapter.create(tickets.map((ticket) => ({ ticket, resolved: false })))).map(okValue);
    sim.faults.add({ path: '/v1/work-orders/batch', action: 'status', status: 413, times: 1 });
    const results = await adapter.createWorkOrders(
      tickets.map((ticket, i) => ({ ref: refs[i] ?? { id: '' }, ticket })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(requestsTo(sim, '/v1/work-orders/batch')).toHaveLength(3);
  });

  test('when a search has more items than a page, then every page is read', async () => {
    const entity = wmTicket().entity;
    for (let i = 0; i < 520; i += 1)
      sim.seedTicket(`WM-seed-${i}`, { entity, alarmType: 'SNR', status: 'open' });
    const open = await adapter.findOpen([{ entity, alarmType: 'SNR' }]);
    expect(open).toHaveLength(520);
    expect(requestsTo(sim, '/v1/tickets/search')).toHaveLength(2);
  });
});

describe('sfyc credentials', () => {
  test('when the token endpoint refuses the credentials with 400, then the platform is auth-failed', async () => {
    const own = await startSfycSimulator({ badCredentialsStatus: 400, clientSecret: 'right' });
    const refused = createSfycAdapter(sfycConfig(own, { clientSecret: 'wrong' }), { authRetryMs: 60_000 });
    try {
      const error = await failureOf(refused.init());
      expect(error).toMatchObject({ name: 'AuthFailedError', platform: 'sfyc' });
      expect((error as Error).message).not.toContain('wrong');
      expect(refused.authState()).toBe('failed');
      await expect(refused.findByWmIds(['WM-1'])).rejects.toMatchObject({ name: 'AuthFailedError' });
      expect(requestsTo(own, '/oauth/token')).toHaveLength(1);
    } finally {
      await refused.close();
      await own.close();
    }
  });

  test('when a batch asks for pairs of two alarm types, then one search answers them, without the crossed pairs', async () => {
    const a = wmTicket();
    const b = wmTicket();
    const snrA = sim.seedTicket('HUMAN-A', {
      entity: a.entity,
      alarmType: 'SNR',
      status: 'open',
      summary: 'a',
    });
    const lineB = sim.seedTicket('HUMAN-B', {
      entity: b.entity,
      alarmType: 'Falla de Linea',
      status: 'open',
      summary: 'b',
    });
    sim.seedTicket('HUMAN-C', {
      entity: a.entity,
      alarmType: 'Falla de Linea',
      status: 'open',
      summary: 'c',
    });
    const searchesBefore = sim.requests.filter((r) => r.path.endsWith('/tickets/search')).length;
    const open = await adapter.findOpen([
      { entity: a.entity, alarmType: 'SNR' },
      { entity: b.entity, alarmType: 'Falla de Linea' },
    ]);
    expect(open.map((t) => t.id).sort()).toEqual([snrA.id, lineB.id].sort());
    expect(sim.requests.filter((r) => r.path.endsWith('/tickets/search')).length).toBe(searchesBefore + 1);
  });
});
