import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearer, call } from '../common/testing.ts';
import { startCherwellSimulator } from './server.ts';
import type { CherwellSimulator } from './server.ts';
import { entry, incident, login, noteFor, post, save, workOrderFor } from './testing.ts';

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

describe('Cherwell business objects', () => {
  it('when a summary is asked by name, then an array with its busObId comes back; group members and unknown names answer []', async () => {
    const get = (name: string) =>
      call<
        Array<{
          busObId: string;
          name: string;
          group: boolean;
          groupSummaries: Array<{ busObId: string; displayName: string }>;
        }>
      >(`${sim.url}/api/V1/getbusinessobjectsummary/busobname/${encodeURIComponent(name)}`, {
        headers: bearer(token),
      });
    expect((await get('Incident')).body[0]).toMatchObject({
      busObId: sim.busObIds().incident,
      name: 'Incident',
    });
    // As real sites: Journal - Note is found only among the members of its group.
    expect(await get('journal - note')).toMatchObject({ status: 200, body: [] });
    const journal = (await get('Journal')).body[0];
    expect(journal).toMatchObject({ name: 'Journal', group: true });
    expect(journal?.groupSummaries.find((m) => m.displayName === 'Journal - Note')?.busObId).toBe(
      sim.busObIds().note,
    );
    expect(await get('Problem')).toMatchObject({ status: 200, body: [] });
    expect(sim.violations()).toEqual([]);
  });

  it('when the simulator answers group members directly, then Journal - Note is found by its own name', async () => {
    const direct = await startCherwellSimulator({ summaryMembersByName: true });
    try {
      const res = await call<Array<{ busObId: string }>>(
        `${direct.url}/api/V1/getbusinessobjectsummary/busobname/Journal%20-%20Note`,
        { headers: bearer(await login(direct)) },
      );
      expect(res.body[0]?.busObId).toBe(direct.busObIds().note);
    } finally {
      await direct.close();
    }
  });

  it('when a template is asked, then named and required fields come with stable ids, short and full, and no required flag', async () => {
    sim.setRequiredFields('Incident', ['CustomerRecID']);
    const names = ['WMTicketID', 'WorkOrderNumber', 'NoSuchField'];
    const res = await post<{
      fields: Array<{ name: string; fieldId: string; value: string; dirty: boolean }>;
    }>(sim, token, 'getbusinessobjecttemplate', {
      busObId: sim.busObIds().incident,
      fieldNames: names,
      includeRequired: true,
    });
    expect(res.body.fields.map((f) => f.name)).toEqual(['WMTicketID', 'WorkOrderNumber', 'CustomerRecID']);
    const wmTicketId = sim.fieldIds('Incident').WMTicketID;
    expect(res.body.fields[0]).toEqual({
      dirty: false,
      displayName: 'WMTicket ID',
      fieldId: wmTicketId,
      fullFieldId: `BO:${sim.busObIds().incident},FI:${wmTicketId}`,
      html: null,
      name: 'WMTicketID',
      value: '',
    });
    const other = await startCherwellSimulator();
    expect(other.fieldIds('Incident').WMTicketID).toBe(sim.fieldIds('Incident').WMTicketID);
    await other.close();
  });
});

describe('Cherwell savebusinessobjectbatch', () => {
  it('when an incident, its work order and a note are created, then they get Cherwell ids and link up', async () => {
    const created = await save(sim, token, [entry(sim, 'Incident', incident('WM-1'))]);
    const inc = created.body.responses[0];
    expect(inc).toMatchObject({ hasError: false, errorCode: null, fieldValidationErrors: [] });
    expect(inc?.busObPublicId).toMatch(/^\d+$/);
    const recId = inc?.busObRecId ?? '';
    const children = await save(sim, token, [
      workOrderFor(sim, recId, 'WM-1'),
      noteFor(sim, recId, 'WM-2', 1),
    ]);
    expect(children.body.responses[0]?.busObPublicId).toMatch(/^OT-\d+$/);
    expect(children.body.responses[1]?.hasError).toBe(false);
    expect(sim.incident('WM-1')?.fields).toMatchObject({
      Status: 'New',
      WMVersion: '1',
      IncidentID: inc?.busObPublicId,
    });
    expect(sim.workOrders()[0]?.fields.ParentRecID).toBe(recId);
    expect(sim.notes()[0]?.fields.Details).toMatch(/^\[WM WM-2 v1\]/);
  });

  it('when updates name the record by recId or by publicId, then both update it', async () => {
    const inc = (await save(sim, token, [entry(sim, 'Incident', incident('WM-1'))])).body.responses[0];
    await save(sim, token, [
      entry(sim, 'Incident', { WorkOrderNumber: 'OT-5500' }, { busObRecId: inc?.busObRecId ?? '' }),
    ]);
    await save(sim, token, [
      entry(
        sim,
        'Incident',
        { Status: 'Resolved', WMVersion: '2' },
        { busObPublicId: inc?.busObPublicId ?? '' },
      ),
    ]);
    expect(sim.incident('WM-1')?.fields).toMatchObject({
      WorkOrderNumber: 'OT-5500',
      Status: 'Resolved',
      WMVersion: '2',
    });
  });

  it('when one entry of a batch fails, then the others are saved and each answer is in request order', async () => {
    const res = await save(sim, token, [
      entry(sim, 'Incident', incident('WM-1')),
      entry(sim, 'Incident', { WMVersion: '2' }, { busObRecId: 'deadbeef' }),
      entry(sim, 'Incident', incident('WM-3')),
    ]);
    expect(res.body.responses.map((r) => r.errorCode)).toEqual([null, 'RECORDNOTFOUND', null]);
    expect(sim.incidents()).toHaveLength(2);
  });

  it('when stopOnError is true, then the server stops at the first failure and keeps what came before', async () => {
    const res = await post<{ responses: unknown[] }>(sim, token, 'savebusinessobjectbatch', {
      saveRequests: [
        entry(sim, 'Incident', incident('WM-1')),
        entry(sim, 'Incident', {}, { busObRecId: 'deadbeef' }),
        entry(sim, 'Incident', incident('WM-3')),
      ],
      stopOnError: true,
    });
    expect(res.body.responses).toHaveLength(2);
    expect(sim.incidents().map((i) => i.fields.WMTicketID)).toEqual(['WM-1']);
  });

  it('when a required field is missing or a value is off its list, then fieldValidationErrors and nothing saved', async () => {
    sim.setRequiredFields('Incident', ['CustomerRecID']);
    const res = await save(sim, token, [
      entry(sim, 'Incident', incident('WM-1')),
      entry(sim, 'Incident', incident('WM-2', { CustomerRecID: 'c1', Status: 'Closed-ish' })),
      entry(sim, 'Incident', incident('WM-3', { CustomerRecID: 'c1' })),
    ]);
    const [missing, offList, fine] = res.body.responses;
    expect(missing).toMatchObject({
      hasError: true,
      fieldValidationErrors: [{ errorCode: 'REQUIRED', fieldId: sim.fieldIds('Incident').CustomerRecID }],
    });
    expect(offList?.fieldValidationErrors).toHaveLength(1);
    expect(fine?.hasError).toBe(false);
    expect(sim.incidents().map((i) => i.fields.WMTicketID)).toEqual(['WM-3']);
  });

  it('when fields are named by their full id (BO:..,FI:..) or the short one, then both are saved and searched', async () => {
    const full = (name: string) =>
      `BO:${sim.busObIds().incident},FI:${sim.fieldIds('Incident')[name] ?? name}`;
    const byFull = entry(sim, 'Incident', incident('WM-FULL'));
    byFull.fields = byFull.fields.map((f) => ({ ...f, fieldId: full(f.name) }));
    const saved = await save(sim, token, [byFull, entry(sim, 'Incident', incident('WM-SHORT'))]);
    expect(saved.body.responses.map((r) => r.hasError)).toEqual([false, false]);
    expect(sim.incident('WM-FULL')?.fields.ShortDescription).toBeTruthy();
    const found = await post<{ totalRows: number }>(sim, token, 'getsearchresults', {
      busObId: sim.busObIds().incident,
      filters: [
        { fieldId: full('WMTicketID'), operator: 'eq', value: 'WM-FULL' },
        { fieldId: sim.fieldIds('Incident').WMTicketID, operator: 'eq', value: 'WM-SHORT' },
      ],
    });
    expect(found.body.totalRows).toBe(2);
    expect(sim.violations()).toEqual([]);
  });

  it('when a field is not marked dirty, then Cherwell does not save it', async () => {
    const e = entry(sim, 'Incident', incident('WM-1'));
    const desc = e.fields.find((f) => f.name === 'Description');
    if (desc) desc.dirty = false;
    await save(sim, token, [e]);
    expect(sim.incident('WM-1')?.fields.Description).toBeUndefined();
  });

  it('when an incident was deleted or resolved by a human, then updates and notes see it', async () => {
    const recId =
      (await save(sim, token, [entry(sim, 'Incident', incident('WM-1'))])).body.responses[0]?.busObRecId ??
      '';
    sim.setIncidentStatus('WM-1', 'Assigned');
    expect(sim.incident(recId)?.fields.Status).toBe('Assigned');
    sim.deleteIncident('WM-1');
    const res = await save(sim, token, [
      entry(sim, 'Incident', { WMVersion: '2' }, { busObRecId: recId }),
      noteFor(sim, recId, 'WM-2', 1),
    ]);
    expect(res.body.responses.map((r) => r.errorCode)).toEqual(['RECORDNOTFOUND', 'RECORDNOTFOUND']);
  });

  it('when a value is not a string or the body is not a batch, then 400 with the Cherwell error shape', async () => {
    const e = entry(sim, 'Incident', incident('WM-1'));
    const bad = { ...e, fields: [{ dirty: true, fieldId: sim.fieldIds('Incident').Priority, value: 1 }] };
    const res = await post(sim, token, 'savebusinessobjectbatch', { saveRequests: [bad] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      hasError: true,
      errorCode: 'BADREQUEST',
      errorMessage: expect.any(String) as string,
    });
    expect((await post(sim, token, 'savebusinessobjectbatch', { nope: 1 })).status).toBe(400);
    expect(sim.violations().map((v) => v.kind)).toEqual(['bad-request', 'bad-request']);
  });

  it('when a human seeds an incident, then it is there with a public id and no violation', () => {
    const seeded = sim.seedIncident({ NetworkEntity: 'X', AlarmType: 'SNR' });
    expect(seeded.fields).toMatchObject({ Status: 'New', IncidentID: seeded.busObPublicId });
    expect(sim.violations()).toEqual([]);
  });
});
