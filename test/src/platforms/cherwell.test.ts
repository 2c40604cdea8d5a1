import { startCherwellSimulator, type CherwellSimulator } from '@tbe/simulators';
import { createCherwellAdapter } from '@tbe/workers/cherwell/adapter';
import { noteText } from '@tbe/workers/flow/texts';
import type { PlatformAdapter } from '@tbe/workers/platform/adapter';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { cherwellConfig, okValue, requestsTo, wmTicket } from './fixtures.ts';

let sim: CherwellSimulator;
let adapter: PlatformAdapter;

beforeAll(async () => {
  sim = await startCherwellSimulator();
});
afterAll(() => sim.close());
beforeEach(async () => {
  sim.reset();
  adapter = createCherwellAdapter(cherwellConfig(sim), { authRetryMs: 1000 });
  await adapter.init();
});
afterEach(async () => {
  await adapter.close();
  // Every use in this file is correct: the simulator must have nothing to complain about.
  expect(sim.violations()).toEqual([]);
});

describe('cherwell adapter', () => {
  test('when notes are repeats, then one search finds those already saved (exact host and version pairs) and only the others are saved', async () => {
    const [a, b] = [wmTicket(), wmTicket()];
    const created = await adapter.create([
      { ticket: a, resolved: false },
      { ticket: b, resolved: false },
    ]);
    const [refA, refB] = [okValue(created[0]), okValue(created[1])];
    const [x, y] = [wmTicket({ entity: a.entity }), wmTicket({ entity: b.entity })];
    const note = (host: typeof refA, ticket: typeof x, repeat: boolean) => ({
      host,
      ticket,
      text: noteText(ticket),
      repeat,
    });
    // x v1 is on A, y v1 on B: already there. y's tag on A and x's tag on B are pairs nobody saved.
    await adapter.addNotes([note(refA, x, false), note(refB, y, false)]);
    const searchesBefore = requestsTo(sim, '/api/V1/getsearchresults').length;
    const results = await adapter.addNotes([
      note(refA, x, true),
      note(refB, y, true),
      note(refA, y, true),
      note(refB, { ...x, version: 2 }, true),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(requestsTo(sim, '/api/V1/getsearchresults').length - searchesBefore).toBe(1);
    const saves = requestsTo(sim, '/api/V1/savebusinessobjectbatch');
    expect((saves.at(-1)?.body as { saveRequests: unknown[] }).saveRequests).toHaveLength(2);
    expect(
      sim
        .notes()
        .map((n) => `${n.fields.ParentRecID === refA.recId ? 'A' : 'B'} ${n.fields.Details?.split(']')[0]}`),
    ).toEqual([`A [WM ${x.id} v1`, `B [WM ${y.id} v1`, `A [WM ${y.id} v1`, `B [WM ${x.id} v2`]);
  });

  test('when a ticket goes through its whole life, then the simulator holds each step and sees no violation', async () => {
    const a = wmTicket();
    const b = wmTicket({ state: 'completed', completedAt: '2026-11-26T10:00:00Z' });
    const created = await adapter.create([
      { ticket: a, resolved: false },
      { ticket: b, resolved: true },
    ]);
    const refA = okValue(created[0]);
    expect(refA.recId).toBeTruthy();
    expect(sim.incident(a.id)?.fields).toMatchObject({
      WMTicketID: a.id,
      WMVersion: '1',
      Status: 'New',
      Priority: '2',
      AlarmCount: '17',
    });
    expect(sim.incident(b.id)?.fields.Status).toBe('Resolved');

    const found = await adapter.findByWmIds([a.id, b.id, 'WM-absent']);
    expect([...found.keys()].sort()).toEqual([a.id, b.id].sort());
    expect(found.get(a.id)).toMatchObject({
      id: refA.id,
      recId: refA.recId,
      version: 1,
      workOrder: undefined,
      open: true,
    });
    expect(found.get(b.id)?.open).toBe(false);

    const open = await adapter.findOpen([
      { entity: a.entity, alarmType: 'SNR' },
      { entity: b.entity, alarmType: 'SNR' },
    ]);
    expect(open).toEqual([
      { id: refA.id, recId: refA.recId, entity: a.entity, alarmType: 'SNR', wmTicketId: a.id },
    ]);

    const c = wmTicket({ entity: a.entity });
    const noted = await adapter.addNotes([{ host: refA, ticket: c, text: noteText(c), repeat: false }]);
    expect(noted[0]?.ok).toBe(true);
    expect(sim.notes().map((n) => n.fields)).toEqual([
      expect.objectContaining({
        ParentRecID: refA.recId,
        ParentTypeID: sim.busObIds().incident,
        Details: noteText(c),
      }),
    ]);

    expect(await adapter.findWorkOrders([refA])).toEqual(new Map());
    const workOrder = okValue((await adapter.createWorkOrders([{ ref: refA, ticket: a }]))[0]);
    expect(sim.workOrders()[0]).toMatchObject({
      busObPublicId: workOrder,
      fields: { Title: `[WM ${a.id}] ${a.summary}` },
    });
    expect(await adapter.findWorkOrders([refA])).toEqual(new Map([[refA.id, workOrder]]));

    expect((await adapter.writeWorkOrder([{ ref: refA, ticket: a, workOrder }]))[0]?.ok).toBe(true);
    expect(sim.incident(a.id)?.fields.WorkOrderNumber).toBe(workOrder);

    sim.setIncidentStatus(a.id, 'Assigned');
    const a2 = { ...a, version: 2, summary: 'worse', alarmCount: 40 };
    expect((await adapter.update([{ ref: refA, ticket: a2 }]))[0]?.ok).toBe(true);
    expect(sim.incident(a.id)?.fields).toMatchObject({
      WMVersion: '2',
      ShortDescription: 'worse',
      AlarmCount: '40',
      Status: 'Assigned',
    });

    const a3 = { ...a2, version: 3, state: 'completed' as const };
    expect((await adapter.resolve([{ ref: refA, ticket: a3 }]))[0]?.ok).toBe(true);
    expect(sim.incident(a.id)?.fields).toMatchObject({ WMVersion: '3', Status: 'Resolved' });
    expect((await adapter.findByWmIds([a.id])).get(a.id)).toMatchObject({
      version: 3,
      workOrder,
      open: false,
    });
    expect(sim.violations()).toEqual([]);
  });

  test('when an update names only the public id, then the incident is found by it', async () => {
    const a = wmTicket();
    const ref = okValue((await adapter.create([{ ticket: a, resolved: false }]))[0]);
    const results = await adapter.update([{ ref: { id: ref.id }, ticket: { ...a, version: 2 } }]);
    expect(results[0]?.ok).toBe(true);
    expect(sim.incident(a.id)?.fields.WMVersion).toBe('2');
  });

  test('when some entries are refused, then only those items fail, permanent or retryable as Cherwell says', async () => {
    const [a, b, c] = [wmTicket(), wmTicket(), wmTicket()];
    sim.faults.add({
      path: 'savebusinessobjectbatch',
      action: 'item-error',
      error: 'validation',
      ticketIds: [b.id],
    });
    sim.faults.add({
      path: 'savebusinessobjectbatch',
      action: 'item-error',
      error: 'lock',
      ticketIds: [c.id],
    });
    const results = await adapter.create([a, b, c].map((ticket) => ({ ticket, resolved: false })));
    expect(results[0]?.ok).toBe(true);
    expect(results[1]).toMatchObject({
      ok: false,
      error: { name: 'ItemError', code: 'FIELD_INVALID', retryable: false },
    });
    expect(results[1]?.ok === false && results[1].error.message).toContain('Incident.ShortDescription');
    expect(results[2]).toMatchObject({ ok: false, error: { code: 'LOCKED', retryable: true } });
    expect(sim.incidents().map((i) => i.fields.WMTicketID)).toEqual([a.id]);
  });

  test('when the site requires a field we do not map, then the create is refused permanently naming it', async () => {
    sim.setRequiredFields('Incident', ['Urgency']);
    const results = await adapter.create([{ ticket: wmTicket(), resolved: false }]);
    expect(results[0]).toMatchObject({ ok: false, error: { code: 'FIELD_INVALID', retryable: false } });
    expect(results[0]?.ok === false && results[0].error.message).toContain('Urgency');
  });

  test('when the incident was deleted in Cherwell, then its update fails permanently with RECORD_NOT_FOUND', async () => {
    const [a, b] = [wmTicket(), wmTicket()];
    const refs = (await adapter.create([a, b].map((ticket) => ({ ticket, resolved: false })))).map(okValue);
    sim.deleteIncident(a.id);
    const results = await adapter.update([
      { ref: refs[0] ?? { id: '' }, ticket: { ...a, version: 2 } },
      { ref: refs[1] ?? { id: '' }, ticket: { ...b, version: 2 } },
    ]);
    expect(results[0]).toMatchObject({ ok: false, error: { code: 'RECORD_NOT_FOUND', retryable: false } });
    expect(results[1]?.ok).toBe(true);
  });

  test('when the whole save fails inside a 200, then the request throws a retryable error', async () => {
    sim.faults.add({
      path: 'savebusinessobjectbatch',
      action: 'status',
      status: 200,
      body: { responses: [], hasError: true, errorCode: 'GENERALFAILURE', errorMessage: 'down' },
      times: 1,
    });
    await expect(adapter.create([{ ticket: wmTicket(), resolved: false }])).rejects.toMatchObject({
      name: 'InvalidResponseError',
    });
  });

  test('when a search has more rows than a page, then every page is read', async () => {
    const entity = wmTicket().entity;
    for (let i = 0; i < 230; i += 1) {
      sim.seedIncident({
        WMTicketID: `WM-seed-${i}`,
        NetworkEntity: entity,
        AlarmType: 'SNR',
        Status: 'New',
      });
    }
    const open = await adapter.findOpen([{ entity, alarmType: 'SNR' }]);
    expect(open).toHaveLength(230);
    const pages = requestsTo(sim, '/api/V1/getsearchresults').map(
      (r) => r.body as { pageNumber: number; pageSize: number },
    );
    expect(pages).toEqual([
      expect.objectContaining({ pageNumber: 1, pageSize: 200 }),
      expect.objectContaining({ pageNumber: 2, pageSize: 200 }),
    ]);
  });

  test('when Cherwell matches a WM id ignoring case, then only the exact id is trusted', async () => {
    const a = wmTicket();
    const lower = sim.seedIncident({
      WMTicketID: a.id.toLowerCase(),
      NetworkEntity: a.entity,
      AlarmType: 'SNR',
      Status: 'New',
    });
    expect(await adapter.findByWmIds([a.id])).toEqual(new Map());
    const exact = sim.seedIncident({
      WMTicketID: a.id,
      WMVersion: '4',
      NetworkEntity: a.entity,
      AlarmType: 'SNR',
      Status: 'Resolved',
    });
    const found = await adapter.findByWmIds([a.id]);
    expect(found.get(a.id)).toMatchObject({
      id: exact.busObPublicId,
      recId: exact.busObRecId,
      version: 4,
      open: false,
    });
    expect(found.get(a.id)?.id).not.toBe(lower.busObPublicId);
  });

  test('when open incidents exist for other entities or alarm types, then findOpen returns only the asked pairs', async () => {
    const a = wmTicket();
    sim.seedIncident({
      WMTicketID: 'x1',
      NetworkEntity: a.entity.toLowerCase(),
      AlarmType: 'SNR',
      Status: 'New',
    });
    sim.seedIncident({
      WMTicketID: 'x2',
      NetworkEntity: a.entity,
      AlarmType: 'Falla de Linea',
      Status: 'New',
    });
    sim.seedIncident({ WMTicketID: 'x3', NetworkEntity: a.entity, AlarmType: 'SNR', Status: 'Resolved' });
    const mine = sim.seedIncident({
      WMTicketID: 'x4',
      NetworkEntity: a.entity,
      AlarmType: 'SNR',
      Status: 'In Progress',
    });
    const open = await adapter.findOpen([{ entity: a.entity, alarmType: 'SNR' }]);
    expect(open.map((t) => t.id)).toEqual([mine.busObPublicId]);
  });

  test('when a batch asks for pairs of two alarm types, then one search answers them, without the crossed pairs', async () => {
    const a = wmTicket();
    const b = wmTicket();
    const snrA = sim.seedIncident({
      WMTicketID: 'y1',
      NetworkEntity: a.entity,
      AlarmType: 'SNR',
      Status: 'New',
    });
    const lineB = sim.seedIncident({
      WMTicketID: 'y2',
      NetworkEntity: b.entity,
      AlarmType: 'Falla de Linea',
      Status: 'New',
    });
    sim.seedIncident({
      WMTicketID: 'y3',
      NetworkEntity: a.entity,
      AlarmType: 'Falla de Linea',
      Status: 'New',
    });
    const searchesBefore = sim.requests.filter((r) => r.path.endsWith('getsearchresults')).length;
    const open = await adapter.findOpen([
      { entity: a.entity, alarmType: 'SNR' },
      { entity: b.entity, alarmType: 'Falla de Linea' },
    ]);
    expect(open.map((t) => t.id).sort()).toEqual([snrA.busObPublicId, lineB.busObPublicId].sort());
    expect(sim.requests.filter((r) => r.path.endsWith('getsearchresults')).length).toBe(searchesBefore + 1);
  });
});
