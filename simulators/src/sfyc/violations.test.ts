import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSfycSimulator } from './server.ts';
import type { SfycSimulator } from './server.ts';
import { batch, login, note, orders, resolve, search, upsert } from './testing.ts';

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
const create = async (externalId: string, fields: Record<string, unknown> = {}) =>
  (await batch(sim, token, [upsert(externalId, 1, fields)])).body.results[0]?.id ?? '';

describe('SFyC contract violations', () => {
  it('when the first-time flow is done right, then no violation is recorded', async () => {
    await search(sim, token, { externalIds: ['WM-1', 'WM-2'] });
    await search(sim, token, { entities: ['E-1'], alarmType: 'SNR', openOnly: true });
    const id = await create('WM-1', { entity: 'E-1' });
    const ot =
      (await orders(sim, token, [{ ticketId: id, externalId: 'WM-1' }])).body.results[0]?.workOrder ?? '';
    await batch(sim, token, [{ op: 'upsert', externalId: 'WM-1', version: 1, fields: { workOrder: ot } }]);
    await batch(sim, token, [note(id, 'WM-2', 1), note(id, 'WM-2', 2)]);
    await batch(sim, token, [resolve('WM-1', 2)]);
    expect(sim.violations()).toEqual([]);
  });

  it('when requests name more tickets than maxTicketsPerRequest, then batch-too-large', async () => {
    sim.setMaxTicketsPerRequest(2);
    await batch(sim, token, [upsert('WM-1'), upsert('WM-2')]);
    await search(sim, token, { externalIds: ['WM-1', 'WM-2'], entities: ['a', 'b'] });
    expect(kinds()).toEqual([]);
    await batch(sim, token, [upsert('WM-3'), upsert('WM-4'), upsert('WM-5')]);
    await search(sim, token, { externalIds: ['WM-1', 'WM-2', 'WM-3'] });
    await search(sim, token, { entities: ['a', 'b', 'c'] });
    await orders(
      sim,
      token,
      [1, 2, 3].map((i) => ({ ticketId: `SF-${i}`, externalId: `WM-${i}` })),
    );
    expect(kinds()).toEqual(['batch-too-large', 'batch-too-large', 'batch-too-large', 'batch-too-large']);
  });

  it('when an open ticket is created while one is open for the same entity and alarm, then second-open-ticket', async () => {
    await create('WM-1', { entity: 'E-1' });
    await create('WM-2', { entity: 'E-1', status: 'resolved' });
    expect(kinds()).toEqual([]);
    await create('WM-3', { entity: 'E-1' });
    expect(kinds()).toEqual(['second-open-ticket']);
  });

  it('when a WM ticket noted into another ticket is upserted on its own, then duplicate-ticket', async () => {
    const id = await create('WM-1', { entity: 'E-1' });
    await batch(sim, token, [note(id, 'WM-2', 1)]);
    await create('WM-2', { entity: 'E-2' });
    expect(kinds()).toEqual(['duplicate-ticket']);
  });

  it('when the same [WM id vN] note goes twice on one ticket, or a note lacks it, then duplicate-note or bad-request', async () => {
    const id = await create('WM-1');
    await batch(sim, token, [note(id, 'WM-2', 1)]);
    await batch(sim, token, [note(id, 'WM-2', 1)]);
    await batch(sim, token, [{ op: 'note', id, externalId: 'WM-3', text: 'no prefix' }]);
    expect(kinds()).toEqual(['duplicate-note', 'bad-request']);
  });

  it('when a note comes again with the same noteKey, then it is answered duplicate and not added; another key for the same version is a duplicate-note', async () => {
    const id = await create('WM-1');
    const keyed = { ...note(id, 'WM-2', 1), noteKey: 'WM-2:v1' };
    expect((await batch(sim, token, [keyed])).body.results[0]).toEqual({ success: true, id });
    expect((await batch(sim, token, [keyed])).body.results[0]).toEqual({
      success: true,
      id,
      duplicate: true,
    });
    expect(sim.notes()).toHaveLength(1);
    expect(kinds()).toEqual([]);
    await batch(sim, token, [{ ...keyed, noteKey: 'other' }]);
    expect(kinds()).toEqual(['duplicate-note']);
  });

  it('when two requests touching one WM ticket overlap, then overlapping-requests; different tickets do not', async () => {
    const id = await create('WM-1');
    sim.faults.add({ action: 'latency', latencyMs: 80 });
    await Promise.all([batch(sim, token, [upsert('WM-1', 2)]), batch(sim, token, [note(id, 'WM-2', 1)])]);
    expect(kinds()).toEqual([]);
    await Promise.all([
      batch(sim, token, [upsert('WM-1', 3)]),
      search(sim, token, { externalIds: ['WM-1'] }),
    ]);
    expect(kinds()).toEqual(['overlapping-requests']);
  });
});
