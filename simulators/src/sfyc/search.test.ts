import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSfycSimulator } from './server.ts';
import type { SfycSimulator } from './server.ts';
import { batch, login, search, upsert } from './testing.ts';
import type { SearchPage } from './testing.ts';

let sim: SfycSimulator;
let token: string;
beforeAll(async () => {
  sim = await startSfycSimulator();
  token = await login(sim);
  await batch(sim, token, [
    upsert('WM-1', 1, { entity: 'GDL-1', workOrder: 'OT-1' }),
    upsert('WM-2', 2, { entity: 'GDL-2' }),
    upsert('WM-3', 1, { entity: 'GDL-1', alarmType: 'Falla de Linea' }),
    upsert('WM-4', 1, { entity: 'GDL-1', status: 'resolved' }),
    upsert('WM-5', 1, { entity: 'MTY-9' }),
  ]);
});
afterAll(() => sim.close());

const ids = (page: SearchPage) => page.items.map((i) => i.externalId);

describe('SFyC tickets search', () => {
  it('when externalIds are given, then any of them match, with the ticket summary of the contract', async () => {
    const res = await search(sim, token, { externalIds: ['WM-1', 'WM-2', 'WM-404'] });
    expect(ids(res.body)).toEqual(['WM-1', 'WM-2']);
    expect(res.body.items[0]).toEqual({
      id: sim.ticket('WM-1')?.id,
      externalId: 'WM-1',
      entity: 'GDL-1',
      alarmType: 'SNR',
      status: 'open',
      version: 1,
      workOrder: 'OT-1',
    });
    expect(res.body.next).toBeNull();
  });

  it('when several keys are given, then they are AND-ed (open ticket for these entities and alarm type)', async () => {
    const res = await search(sim, token, { entities: ['GDL-1', 'MTY-9'], alarmType: 'SNR', openOnly: true });
    expect(ids(res.body)).toEqual(['WM-1', 'WM-5']);
  });

  it('when results exceed the limit, then next pages through them until null', async () => {
    const seen: string[] = [];
    let page: string | null | undefined;
    do {
      const res = await search(sim, token, { limit: 2, ...(page ? { page } : {}) });
      seen.push(...ids(res.body));
      page = res.body.next;
    } while (page);
    expect(seen).toEqual(['WM-1', 'WM-2', 'WM-3', 'WM-4', 'WM-5']);
  });

  it('when the page token is made up or the query malformed, then 400 and bad-request', async () => {
    const other = await startSfycSimulator();
    const t = await login(other);
    expect((await search(other, t, { page: 'bogus' })).status).toBe(400);
    expect((await search(other, t, { externalIds: 'WM-1' })).status).toBe(400);
    expect(other.violations().map((v) => v.kind)).toEqual(['bad-request', 'bad-request']);
    await other.close();
  });
});
