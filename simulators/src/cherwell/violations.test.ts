import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCherwellSimulator } from './server.ts';
import type { CherwellSimulator } from './server.ts';
import { entry, incident, login, noteFor, save, search, workOrderFor } from './testing.ts';

let sim: CherwellSimulator;
let token: string;
beforeAll(async () => {
  sim = await startCherwellSimulator();
});
beforeEach(async () => {
  token = await login(sim);
});
afterEach(() => sim.reset());
afterAll(() => sim.close());

const kinds = () => sim.violations().map((v) => v.kind);
const create = async (wmId: string, extra: Record<string, string> = {}) =>
  (await save(sim, token, [entry(sim, 'Incident', incident(wmId, extra))])).body.responses[0]?.busObRecId ??
  '';

describe('Cherwell contract violations', () => {
  it('when the whole first-time flow is done right, then no violation is recorded', async () => {
    await search(sim, token, 'Incident', [['WMTicketID', 'eq', 'WM-1']]);
    await search(sim, token, 'Incident', [
      ['NetworkEntity', 'eq', 'E-1'],
      ['AlarmType', 'eq', 'SNR'],
      ['Status', 'eq', 'New'],
    ]);
    const recId = await create('WM-1', { NetworkEntity: 'E-1' });
    await search(sim, token, 'Work Order', [['ParentRecID', 'eq', recId]]);
    const ot =
      (await save(sim, token, [workOrderFor(sim, recId, 'WM-1')])).body.responses[0]?.busObPublicId ?? '';
    await save(sim, token, [entry(sim, 'Incident', { WorkOrderNumber: ot }, { busObRecId: recId })]);
    await save(sim, token, [noteFor(sim, recId, 'WM-2', 1), noteFor(sim, recId, 'WM-2', 2)]);
    await save(sim, token, [
      entry(sim, 'Incident', { WMVersion: '2', Status: 'Resolved' }, { busObRecId: recId }),
    ]);
    expect(sim.violations()).toEqual([]);
  });

  it('when a request names more tickets than maxTicketsPerRequest, then batch-too-large (saves and searches)', async () => {
    sim.setMaxTicketsPerRequest(2);
    await save(sim, token, [
      entry(sim, 'Incident', incident('WM-1')),
      entry(sim, 'Incident', incident('WM-2')),
    ]);
    await search(sim, token, 'Incident', [
      ['WMTicketID', 'eq', 'WM-1'],
      ['WMTicketID', 'eq', 'WM-2'],
    ]);
    expect(kinds()).toEqual([]);
    await save(
      sim,
      token,
      ['WM-3', 'WM-4', 'WM-5'].map((id) => entry(sim, 'Incident', incident(id))),
    );
    await search(sim, token, 'Incident', [
      ['NetworkEntity', 'eq', 'a'],
      ['NetworkEntity', 'eq', 'b'],
      ['NetworkEntity', 'eq', 'c'],
    ]);
    expect(kinds()).toEqual(['batch-too-large', 'batch-too-large']);
  });

  it('when a lower WMVersion is written over a higher one, then version-regression (equal is fine)', async () => {
    const recId = await create('WM-1', { WMVersion: '3' });
    await save(sim, token, [entry(sim, 'Incident', { WMVersion: '3' }, { busObRecId: recId })]);
    expect(kinds()).toEqual([]);
    await save(sim, token, [entry(sim, 'Incident', { WMVersion: '2' }, { busObRecId: recId })]);
    expect(kinds()).toEqual(['version-regression']);
    // Cherwell has no fence of its own: the lower version is written.
    expect(sim.incident('WM-1')?.fields.WMVersion).toBe('2');
  });

  it('when a second incident is created for one WM ticket, then duplicate-ticket', async () => {
    await create('WM-1');
    await create('WM-1', { NetworkEntity: 'elsewhere' });
    expect(kinds()).toEqual(['duplicate-ticket']);
  });

  it('when a WM ticket noted into another incident gets its own, then duplicate-ticket', async () => {
    const recId = await create('WM-1', { NetworkEntity: 'E-1' });
    await save(sim, token, [noteFor(sim, recId, 'WM-2', 1)]);
    await create('WM-2', { NetworkEntity: 'E-2' });
    expect(kinds()).toEqual(['duplicate-ticket']);
  });

  it('when an open incident is created while one is open for the same entity and alarm, then second-open-ticket', async () => {
    await create('WM-1', { NetworkEntity: 'E-1' });
    await create('WM-2', { NetworkEntity: 'e-1' });
    expect(kinds()).toEqual(['second-open-ticket']);
  });

  it('when the open one was resolved, or the new one is created resolved or for another alarm, then no violation', async () => {
    await create('WM-1', { NetworkEntity: 'E-1' });
    await create('WM-2', { NetworkEntity: 'E-1', Status: 'Resolved' });
    await create('WM-3', { NetworkEntity: 'E-1', AlarmType: 'Falla de Linea' });
    sim.setIncidentStatus('WM-1', 'Resolved');
    await create('WM-4', { NetworkEntity: 'E-1' });
    expect(kinds()).toEqual([]);
  });

  it('when a second work order is created for one incident, then duplicate-work-order', async () => {
    const recId = await create('WM-1');
    await save(sim, token, [workOrderFor(sim, recId, 'WM-1')]);
    await save(sim, token, [workOrderFor(sim, recId, 'WM-1')]);
    expect(kinds()).toEqual(['duplicate-work-order']);
  });

  it('when the same [WM id vN] note is added twice to one incident, then duplicate-note', async () => {
    const recId = await create('WM-1');
    await save(sim, token, [noteFor(sim, recId, 'WM-2', 1)]);
    await save(sim, token, [noteFor(sim, recId, 'WM-2', 1)]);
    expect(kinds()).toEqual(['duplicate-note']);
  });

  it('when a note or work order lacks its [WM ...] text or names the wrong parent type, then bad-request', async () => {
    const recId = await create('WM-1');
    const note = entry(sim, 'Journal - Note', {
      ParentRecID: recId,
      ParentTypeID: sim.busObIds().incident,
      Details: 'no prefix',
    });
    const wo = entry(sim, 'Work Order', { ParentRecID: recId, ParentTypeID: 'wrong', Title: '[WM WM-1] x' });
    await save(sim, token, [note, wo]);
    expect(kinds()).toEqual(['bad-request', 'bad-request']);
  });

  it('when two requests touching one WM ticket are in flight at once, then overlapping-requests', async () => {
    sim.faults.add({ action: 'latency', latencyMs: 80 });
    await Promise.all([
      save(sim, token, [entry(sim, 'Incident', incident('WM-1'))]),
      search(sim, token, 'Incident', [['WMTicketID', 'eq', 'WM-1']]),
    ]);
    expect(kinds()).toEqual(['overlapping-requests']);
  });

  it('when concurrent requests touch different WM tickets, then no overlap (a note for WM-2 on WM-1 touches WM-2)', async () => {
    const recId = await create('WM-1');
    sim.faults.add({ action: 'latency', latencyMs: 80 });
    await Promise.all([
      save(sim, token, [entry(sim, 'Incident', { WMVersion: '2' }, { busObRecId: recId })]),
      save(sim, token, [noteFor(sim, recId, 'WM-2', 1)]),
      save(sim, token, [entry(sim, 'Incident', incident('WM-3'))]),
    ]);
    expect(kinds()).toEqual([]);
    expect(sim.requests.at(-2)?.ticketIds).toEqual(['WM-2']);
    expect(sim.requests.at(-3)?.ticketIds).toEqual(['WM-1']);
  });

  it('when a write-back by recId and a work-order search by parent overlap, then both are seen as touching that ticket', async () => {
    const recId = await create('WM-1');
    sim.faults.add({ action: 'latency', latencyMs: 80 });
    await Promise.all([
      save(sim, token, [entry(sim, 'Incident', { WorkOrderNumber: 'OT-1' }, { busObRecId: recId })]),
      search(sim, token, 'Work Order', [['ParentRecID', 'eq', recId]]),
    ]);
    expect(kinds()).toEqual(['overlapping-requests']);
  });
});
