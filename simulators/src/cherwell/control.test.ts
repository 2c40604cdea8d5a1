import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../common/testing.ts';
import type { CherwellRecord } from './store.ts';
import { startCherwellSimulator } from './server.ts';
import type { CherwellSimulator } from './server.ts';
import { entry, incident, login, passwordGrant, save } from './testing.ts';

let sim: CherwellSimulator;
beforeAll(async () => {
  sim = await startCherwellSimulator();
});
afterAll(() => sim.close());

const control = <T = unknown>(path: string, init: Parameters<typeof call>[1] = {}) =>
  call<T>(`${sim.origin}/_sim${path}`, init);

describe('Cherwell control endpoints', () => {
  it('when incidents are scripted over HTTP, then Cherwell behaves as if a human did it', async () => {
    const token = await login(sim);
    await save(sim, token, [entry(sim, 'Incident', incident('WM-1'))]);
    expect(
      (await control('/incidents/WM-1/status', { method: 'POST', json: { status: 'Resolved' } })).status,
    ).toBe(204);
    const listed = await control<{ incidents: CherwellRecord[] }>('/incidents');
    expect(listed.body.incidents[0]?.fields.Status).toBe('Resolved');
    expect((await control('/incidents/WM-1', { method: 'DELETE' })).status).toBe(204);
    expect((await control('/incidents/WM-1', { method: 'DELETE' })).status).toBe(404);
    const seeded = await control<CherwellRecord>('/incidents', {
      method: 'POST',
      json: { NetworkEntity: 'E', AlarmType: 'SNR' },
    });
    expect(seeded.body.busObPublicId).toMatch(/^\d+$/);
  });

  it('when credentials, token lifetime, revocation and required fields are driven over HTTP, then they apply', async () => {
    const token = await login(sim);
    expect((await control('/revoke-tokens', { method: 'POST' })).status).toBe(204);
    const denied = await call(`${sim.url}/api/V1/getbusinessobjectsummary/busobname/Incident`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(denied.status).toBe(401);
    await control('/token-settings', { method: 'POST', json: { tokenTtlSeconds: 5 } });
    expect((await passwordGrant(sim)).body.expires_in).toBe(5);
    await control('/credentials', { method: 'POST', json: { password: 'p2' } });
    expect(sim.credentials().password).toBe('p2');
    await control('/required-fields', {
      method: 'POST',
      json: { busOb: 'Incident', fields: ['CustomerRecID'] },
    });
    const busobs = await control<{ fieldIds: Record<string, Record<string, string>> }>('/busobs');
    expect(busobs.body.fieldIds.Incident?.CustomerRecID).toBe(sim.fieldIds('Incident').CustomerRecID);
    await control('/reset', { method: 'POST' });
    expect(sim.credentials().password).toBe('tbe-sim-password');
    expect(sim.incidents()).toEqual([]);
  });
});
