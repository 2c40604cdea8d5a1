import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../common/testing.ts';
import { startSfycSimulator } from './server.ts';
import type { SfycSimulator } from './server.ts';
import type { SfycTicket } from './store.ts';
import { batch, login, note, resolve, search, tokenRequest } from './testing.ts';

let sim: SfycSimulator;
beforeAll(async () => {
  sim = await startSfycSimulator();
});
afterAll(() => sim.close());

const control = <T = unknown>(path: string, init: Parameters<typeof call>[1] = {}) =>
  call<T>(`${sim.origin}/_sim${path}`, init);

describe('SFyC control endpoints', () => {
  it('when tickets are seeded, resolved and deleted over HTTP, then the API sees it', async () => {
    const token = await login(sim);
    const seeded = await control<SfycTicket>('/tickets', {
      method: 'POST',
      json: { externalId: 'WM-9', fields: { summary: 's', entity: 'E', alarmType: 'SNR' } },
    });
    expect(seeded.status).toBe(201);
    expect((await search(sim, token, { openOnly: true })).body.items).toHaveLength(1);
    expect(
      (await control('/tickets/WM-9/status', { method: 'POST', json: { status: 'resolved' } })).status,
    ).toBe(204);
    expect((await search(sim, token, { openOnly: true })).body.items).toHaveLength(0);
    expect((await control(`/tickets/${seeded.body.id}`, { method: 'DELETE' })).status).toBe(204);
    const res = await batch(sim, token, [note(seeded.body.id, 'WM-10', 1), resolve('WM-9', 2)]);
    expect(res.body.results.map((r) => r.errors?.[0]?.code)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect((await control<{ tickets: unknown[] }>('/tickets')).body.tickets).toEqual([]);
  });

  it('when credentials, token lifetime and revocation are driven over HTTP, then they apply', async () => {
    const token = await login(sim);
    await control('/revoke-tokens', { method: 'POST' });
    expect((await search(sim, token, {})).status).toBe(401);
    await control('/token-settings', { method: 'POST', json: { tokenTtlSeconds: 9 } });
    expect((await tokenRequest(sim)).body.expires_in).toBe(9);
    await control('/credentials', { method: 'POST', json: { clientSecret: 's2' } });
    expect(sim.credentials().clientSecret).toBe('s2');
    await control('/reset', { method: 'POST' });
    expect(sim.credentials().clientSecret).toBe('tbe-sim-secret');
    expect(sim.violations()).toEqual([]);
  });
});
