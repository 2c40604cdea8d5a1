import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCherwellSimulator } from './server.ts';
import type { CherwellSimulator } from './server.ts';
import { entry, incident, login, save, search, workOrderFor } from './testing.ts';
import type { SearchAnswer } from './testing.ts';

let sim: CherwellSimulator;
let token: string;
beforeAll(async () => {
  sim = await startCherwellSimulator();
  token = await login(sim);
  await save(sim, token, [
    entry(sim, 'Incident', incident('WM-1', { NetworkEntity: 'GDL-NODO-0042/US-3', WMVersion: '2' })),
    entry(sim, 'Incident', incident('WM-2', { NetworkEntity: 'GDL-NODO-0042/US-4', WMVersion: '5' })),
    entry(
      sim,
      'Incident',
      incident('WM-3', { NetworkEntity: 'MTY-NODO-0001/DS-1', AlarmType: 'Falla de Linea', WMVersion: '10' }),
    ),
    entry(sim, 'Incident', incident('WM-4', { NetworkEntity: 'GDL-NODO-0042/US-3', Status: 'Resolved' })),
    entry(sim, 'Incident', incident('wm-5', { NetworkEntity: 'LEO-NODO-0100/UP-1' })),
  ]);
});
afterAll(() => sim.close());

const wmIds = (answer: SearchAnswer) =>
  answer.businessObjects.map((o) => o.fields.find((f) => f.name === 'WMTicketID')?.value);

describe('Cherwell getsearchresults', () => {
  it('when filters name the same field, then they are OR-ed', async () => {
    const res = await search(sim, token, 'Incident', [
      ['WMTicketID', 'eq', 'WM-1'],
      ['WMTicketID', 'eq', 'WM-3'],
    ]);
    expect(wmIds(res.body)).toEqual(['WM-1', 'WM-3']);
    expect(res.body.totalRows).toBe(2);
  });

  it('when filters name different fields, then they are AND-ed (open incident for any of these entities)', async () => {
    const res = await search(sim, token, 'Incident', [
      ['NetworkEntity', 'eq', 'GDL-NODO-0042/US-3'],
      ['NetworkEntity', 'eq', 'MTY-NODO-0001/DS-1'],
      ['AlarmType', 'eq', 'SNR'],
      ['Status', 'eq', 'New'],
      ['Status', 'eq', 'Assigned'],
      ['Status', 'eq', 'In Progress'],
    ]);
    expect(wmIds(res.body)).toEqual(['WM-1']);
  });

  it('when text is compared, then case is ignored as SQL Server does, so callers must check the id exactly', async () => {
    expect(wmIds((await search(sim, token, 'Incident', [['WMTicketID', 'eq', 'WM-5']])).body)).toEqual([
      'wm-5',
    ]);
    expect(
      wmIds((await search(sim, token, 'Incident', [['NetworkEntity', 'eq', 'gdl-nodo-0042/us-4']])).body),
    ).toEqual(['WM-2']);
  });

  it('when contains, startswith, gt and lt are used, then they select as named (numbers as numbers)', async () => {
    expect(
      wmIds((await search(sim, token, 'Incident', [['NetworkEntity', 'contains', 'nodo-0042']])).body),
    ).toEqual(['WM-1', 'WM-2', 'WM-4']);
    expect(
      wmIds((await search(sim, token, 'Incident', [['NetworkEntity', 'startswith', 'mty']])).body),
    ).toEqual(['WM-3']);
    expect(wmIds((await search(sim, token, 'Incident', [['WMVersion', 'gt', '4']])).body)).toEqual([
      'WM-2',
      'WM-3',
    ]);
    expect(wmIds((await search(sim, token, 'Incident', [['WMVersion', 'lt', '2']])).body)).toEqual([
      'WM-4',
      'wm-5',
    ]);
  });

  it('when results span pages, then pageNumber walks them and totalRows counts all', async () => {
    const page = async (n: number) =>
      (await search(sim, token, 'Incident', [], { pageSize: 2, pageNumber: n })).body;
    const pages = [await page(1), await page(2), await page(3), await page(4)];
    expect(pages.map((p) => p.businessObjects.length)).toEqual([2, 2, 1, 0]);
    expect(pages.every((p) => p.totalRows === 5)).toBe(true);
  });

  it('when pageSize is above 200 or a field or operator is unknown, then 400 and bad-request', async () => {
    const other = await startCherwellSimulator();
    const t = await login(other);
    expect((await search(other, t, 'Incident', [], { pageSize: 201 })).status).toBe(400);
    expect((await search(other, t, 'Incident', [['Nope', 'eq', 'x']])).status).toBe(400);
    expect((await search(other, t, 'Incident', [['WMTicketID', 'like', 'x']])).status).toBe(400);
    expect(other.violations().map((v) => v.kind)).toEqual(['bad-request', 'bad-request', 'bad-request']);
    await other.close();
  });

  it('when fields are asked, then only those come back; includeAllFields gives all', async () => {
    const some = (await search(sim, token, 'Incident', [['WMTicketID', 'eq', 'WM-1']])).body
      .businessObjects[0];
    expect(some?.fields.map((f) => f.name)).toEqual(['WMTicketID', 'Status']);
    const all = (
      await search(sim, token, 'Incident', [['WMTicketID', 'eq', 'WM-1']], { includeAllFields: true })
    ).body;
    expect(all.businessObjects[0]?.fields.map((f) => f.name)).toContain('NetworkEntity');
  });

  it('when work orders are searched by ParentRecID, then the one of that incident is found', async () => {
    const parent = sim.incident('WM-2')?.busObRecId ?? '';
    await save(sim, token, [workOrderFor(sim, parent, 'WM-2')]);
    const res = await search(sim, token, 'Work Order', [['ParentRecID', 'eq', parent]]);
    expect(res.body.businessObjects.map((o) => o.busObPublicId)).toEqual([
      sim.workOrders()[0]?.busObPublicId,
    ]);
  });
});
