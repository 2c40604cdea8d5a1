import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSfycSimulator } from './server.ts';
import type { SfycSimulator } from './server.ts';
import { batch, login, note, orders, post, resolve, upsert } from './testing.ts';

let sim: SfycSimulator;
let token: string;
beforeAll(async () => {
  sim = await startSfycSimulator();
});
beforeEach(async () => {
  token = await login(sim);
});
afterEach(() => sim.reset());
afterAll(() => sim.close());

const kinds = () => sim.violations().map((v) => v.kind);

describe('SFyC tickets batch', () => {
  it('when upserts, notes and resolves are mixed, then each gets its result in order', async () => {
    const first = await batch(sim, token, [upsert('WM-1')]);
    const id = first.body.results[0]?.id ?? '';
    expect(first.body.results[0]).toEqual({
      success: true,
      id: expect.stringMatching(/^SF-\d{6}$/) as string,
      created: true,
    });
    const res = await batch(sim, token, [
      note(id, 'WM-2', 1),
      upsert('WM-1', 2, { alarmCount: 3 }),
      resolve('WM-1', 3),
    ]);
    expect(res.body.results).toEqual([
      { success: true, id },
      { success: true, id, created: false },
      { success: true, id },
    ]);
    expect(sim.ticket('WM-1')).toMatchObject({
      version: 3,
      fields: { status: 'resolved', alarmCount: 3, summary: 'SNR degradation WM-1' },
    });
    expect(sim.notes()).toMatchObject([{ ticketId: id, externalId: 'WM-2' }]);
    expect(kinds()).toEqual([]);
  });

  it('when an upsert updates, then fields left out keep their values (the OT stays)', async () => {
    await batch(sim, token, [upsert('WM-1')]);
    await batch(sim, token, [
      { op: 'upsert', externalId: 'WM-1', version: 1, fields: { workOrder: 'OT-1' } },
    ]);
    await batch(sim, token, [{ op: 'upsert', externalId: 'WM-1', version: 2, fields: { alarmCount: 4 } }]);
    expect(sim.ticket('WM-1')?.fields).toMatchObject({ workOrder: 'OT-1', alarmCount: 4, entity: 'E-WM-1' });
  });

  it('when a ticket is first seen completed, then an upsert with status resolved creates it resolved', async () => {
    await batch(sim, token, [upsert('WM-1', 4, { status: 'resolved' })]);
    expect(sim.ticket('WM-1')?.fields.status).toBe('resolved');
  });

  it('when a lower version is upserted or resolved, then stale, nothing changes, and version-regression', async () => {
    await batch(sim, token, [upsert('WM-1', 5)]);
    const res = await batch(sim, token, [upsert('WM-1', 4, { alarmCount: 0 }), resolve('WM-1', 3)]);
    expect(res.body.results.map((r) => r.stale)).toEqual([true, true]);
    expect(sim.ticket('WM-1')).toMatchObject({ version: 5, fields: { alarmCount: 17, status: 'open' } });
    expect(kinds()).toEqual(['version-regression', 'version-regression']);
  });

  it('when field types are wrong or required fields missing, then FIELD_INVALID, not retryable', async () => {
    const res = await batch(sim, token, [
      upsert('WM-1', 1, { priority: '1' }),
      upsert('WM-2', 1, { alarmCount: 1.5, summary: 7 }),
      { op: 'upsert', externalId: 'WM-3', version: 1, fields: { details: 'x' } },
      upsert('WM-4', 1, { priority: 4, status: 'closed' }),
    ]);
    for (const r of res.body.results) {
      expect(r.success).toBe(false);
      expect(r.errors?.every((e) => e.code === 'FIELD_INVALID' && !e.retryable)).toBe(true);
    }
    expect(res.body.results[1]?.errors?.map((e) => e.field)).toEqual(['summary', 'alarmCount']);
    expect(sim.tickets()).toEqual([]);
  });

  it('when a note or resolve names a ticket that does not exist, then NOT_FOUND, not retryable', async () => {
    const res = await batch(sim, token, [note('SF-999999', 'WM-2', 1), resolve('WM-404', 1)]);
    expect(res.body.results.map((r) => r.errors?.[0])).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', retryable: false }),
      expect.objectContaining({ code: 'NOT_FOUND', retryable: false }),
    ]);
  });

  it('when allOrNone is set and one operation fails, then all roll back, the valid ones ROLLED_BACK retryable', async () => {
    const res = await batch(sim, token, [upsert('WM-1'), note('SF-999999', 'WM-2', 1), upsert('WM-3')], true);
    expect(res.body.results.map((r) => r.errors?.[0]?.code)).toEqual([
      'ROLLED_BACK',
      'NOT_FOUND',
      'ROLLED_BACK',
    ]);
    expect(res.body.results[0]?.errors?.[0]?.retryable).toBe(true);
    expect(sim.tickets()).toEqual([]);
    expect(
      (await batch(sim, token, [upsert('WM-1'), upsert('WM-3')], true)).body.results.every((r) => r.success),
    ).toBe(true);
  });

  it('when more than 200 operations come at once, then 413 and nothing is applied', async () => {
    sim.setMaxTicketsPerRequest(200);
    const ops = Array.from({ length: 201 }, (_, i) => upsert(`WM-${i}`));
    const res = await batch(sim, token, ops);
    expect(res.status).toBe(413);
    expect(sim.tickets()).toEqual([]);
    expect((await batch(sim, token, ops.slice(0, 200))).status).toBe(200);
  });

  it('when the request is malformed, then 400 for all of it and bad-request', async () => {
    const res = await batch(sim, token, [upsert('WM-1'), { op: 'delete', externalId: 'WM-1' }]);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'MALFORMED' } });
    expect((await post(sim, token, '/v1/tickets/batch', { ops: [] })).status).toBe(400);
    expect(sim.tickets()).toEqual([]);
    expect(kinds()).toEqual(['bad-request', 'bad-request']);
  });
});

describe('SFyC work orders', () => {
  it('when an OT is asked twice for one ticket, then the same OT comes back with created false', async () => {
    const id = (await batch(sim, token, [upsert('WM-1')])).body.results[0]?.id ?? '';
    const first = await orders(sim, token, [{ ticketId: id, externalId: 'WM-1' }]);
    expect(first.body.results[0]).toEqual({
      success: true,
      workOrder: expect.stringMatching(/^OT-\d+$/) as string,
      created: true,
    });
    const again = await orders(sim, token, [{ ticketId: id, externalId: 'WM-1' }]);
    expect(again.body.results[0]).toEqual({ ...first.body.results[0], created: false });
    expect(sim.workOrders()).toHaveLength(1);
    expect(kinds()).toEqual([]);
  });

  it('when the ticket does not exist, then NOT_FOUND; above 200 orders, 413', async () => {
    const res = await orders(sim, token, [{ ticketId: 'SF-999999', externalId: 'WM-1' }]);
    expect(res.body.results[0]?.errors?.[0]?.code).toBe('NOT_FOUND');
    const many = Array.from({ length: 201 }, (_, i) => ({ ticketId: `SF-${i}`, externalId: `WM-${i}` }));
    expect((await orders(sim, token, many)).status).toBe(413);
  });

  it('when an OT is asked for a ticket under another WM id, then bad-request', async () => {
    const id = (await batch(sim, token, [upsert('WM-1')])).body.results[0]?.id ?? '';
    await orders(sim, token, [{ ticketId: id, externalId: 'WM-2' }]);
    expect(kinds()).toEqual(['bad-request']);
  });
});
