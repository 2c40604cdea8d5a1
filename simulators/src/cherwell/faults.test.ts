import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCherwellSimulator } from './server.ts';
import type { CherwellSimulator } from './server.ts';
import { entry, incident, login, post, save, search } from './testing.ts';

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

const batch = (...ids: string[]) => ids.map((id) => entry(sim, 'Incident', incident(id)));

describe('Cherwell faults', () => {
  it('when an item error is injected for some tickets, then only their entries fail, each its own way', async () => {
    sim.faults.add({
      path: 'savebusinessobjectbatch',
      ticketIds: ['WM-2'],
      action: 'item-error',
      error: 'lock',
    });
    sim.faults.add({
      path: 'savebusinessobjectbatch',
      ticketIds: ['WM-3'],
      action: 'item-error',
      error: 'validation',
    });
    sim.faults.add({
      path: 'savebusinessobjectbatch',
      ticketIds: ['WM-4'],
      action: 'item-error',
      error: 'not-found',
    });
    const res = await save(sim, token, batch('WM-1', 'WM-2', 'WM-3', 'WM-4'));
    const [ok, lock, invalid, missing] = res.body.responses;
    expect(ok?.hasError).toBe(false);
    expect(lock).toMatchObject({ hasError: true, errorCode: 'LOCKED', fieldValidationErrors: [] });
    expect(invalid?.hasError).toBe(true);
    expect(invalid?.fieldValidationErrors).toHaveLength(1);
    expect(missing).toMatchObject({ hasError: true, errorCode: 'RECORDNOTFOUND' });
    expect(sim.incidents().map((i) => i.fields.WMTicketID)).toEqual(['WM-1']);
  });

  it('when commit-then-fail hits a create, then the client gets 500 but the incident exists and a search finds it', async () => {
    sim.faults.add({ path: 'savebusinessobjectbatch', action: 'commit-then-fail', times: 1 });
    const res = await save(sim, token, batch('WM-1'));
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ hasError: true, errorCode: 'GENERALFAILURE' });
    const found = await search(sim, token, 'Incident', [['WMTicketID', 'eq', 'WM-1']]);
    expect(found.body.totalRows).toBe(1);
  });

  it('when commit-then-fail resets the socket, then the client sees a network error and the save happened', async () => {
    sim.faults.add({ path: 'savebusinessobjectbatch', action: 'commit-then-fail', then: 'reset' });
    await expect(save(sim, token, batch('WM-1'))).rejects.toThrow();
    expect(sim.incidents()).toHaveLength(1);
    expect(sim.requests.at(-1)?.outcome).toBe('reset');
  });

  it('when status faults are injected, then they carry the Cherwell error shape and Retry-After', async () => {
    sim.faults.add({ path: 'getsearchresults', action: 'status', status: 503, retryAfter: 2, times: 1 });
    sim.faults.add({
      path: 'getsearchresults',
      action: 'status',
      status: 429,
      retryAfter: 'Wed, 21 Oct 2026 07:28:00 GMT',
      times: 1,
    });
    const unavailable = await search(sim, token, 'Incident', []);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('2');
    expect(unavailable.body).toMatchObject({ hasError: true, errorCode: 'SERVICEUNAVAILABLE' });
    const limited = await search(sim, token, 'Incident', []);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('Wed, 21 Oct 2026 07:28:00 GMT');
    expect((await search(sim, token, 'Incident', [])).status).toBe(200);
  });

  it('when a whole-request failure inside a 200 is wanted, then a status fault with a body gives it', async () => {
    const body = { responses: [], hasError: true, errorCode: 'GENERALFAILURE', errorMessage: 'try later' };
    sim.faults.add({ path: 'savebusinessobjectbatch', action: 'status', status: 200, body });
    const res = await save(sim, token, batch('WM-1'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(body);
    expect(sim.incidents()).toHaveLength(0);
  });

  it('when a transport fault hits an unauthenticated call, then the fault wins (a gateway answers first)', async () => {
    sim.faults.add({ path: 'getsearchresults', action: 'status', status: 502 });
    expect((await post(sim, 'no-such-token', 'getsearchresults', {})).status).toBe(502);
  });

  it('when a fault names a path under a case-insensitive IIS path, then it still matches', async () => {
    sim.faults.add({ path: /savebusinessobjectbatch$/i, action: 'status', status: 500 });
    const res = await fetch(
      `${sim.url.replace('CherwellAPI', 'cherwellapi')}/api/v1/SaveBusinessObjectBatch`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ saveRequests: [] }),
      },
    );
    expect(res.status).toBe(500);
  });
});
