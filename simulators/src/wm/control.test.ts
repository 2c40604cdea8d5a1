import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, waitFor } from '../common/testing.ts';
import type { Violation } from '../common/types.ts';
import { startWmSimulator } from './server.ts';
import type { WmSimulator } from './server.ts';
import type { WmChange, WmTicket } from './ticket.ts';

let wm: WmSimulator;
beforeAll(async () => {
  wm = await startWmSimulator();
});
afterEach(() => wm.reset());
afterAll(() => wm.close());

type Scripted = { seq: number; ticket: WmTicket };
const sim = <T = unknown>(path: string, init: Parameters<typeof call>[1] = {}) =>
  call<T>(`${wm.origin}/_sim${path}`, init);
const feed = (query = '') => call<{ changes: WmChange[] }>(`${wm.url}/tickets/changes${query}`);

describe('WM control endpoints', () => {
  it('when tickets are scripted over HTTP, then the feed serves them', async () => {
    const created = await sim<Scripted>('/tickets', {
      method: 'POST',
      json: { ticket: { severity: 'minor' }, platforms: ['cherwell'] },
    });
    expect(created.status).toBe(201);
    const id = created.body.ticket.id;
    const updated = await sim<Scripted>(`/tickets/${id}`, {
      method: 'PATCH',
      json: { alarmCount: 3, skipVersions: 1 },
    });
    expect(updated.body.ticket).toMatchObject({ version: 3, alarmCount: 3 });
    const done = await sim<Scripted>(`/tickets/${id}/complete`, { method: 'POST' });
    expect(done.body.ticket).toMatchObject({ version: 4, state: 'completed' });
    expect((await sim('/tickets/WM-NONE/complete', { method: 'POST' })).status).toBe(404);
    const raw = await sim<{ seq: number }>('/changes', { method: 'POST', json: { garbage: true } });
    const first = created.body.seq;
    const served = await feed();
    expect(served.body.changes.map((c) => c.seq)).toEqual([first, first + 1, first + 2, raw.body.seq]);
    expect(served.body.changes[0]?.platforms).toEqual(['cherwell']);
    expect((await sim<{ tickets: WmTicket[] }>('/tickets')).body.tickets).toHaveLength(1);
  });

  it('when faults, settings and reset are driven over HTTP, then they act like the in-process calls', async () => {
    const added = await sim<{ id: string }>('/faults', {
      method: 'POST',
      json: { pathRegex: 'changes$', action: 'status', status: 503, times: 2 },
    });
    expect(added.status).toBe(201);
    const listed = await sim<{ faults: unknown[] }>('/faults');
    expect(listed.body.faults[0]).toMatchObject({ id: added.body.id, pathRegex: 'changes$', hits: 0 });
    expect((await feed()).status).toBe(503);
    expect((await sim(`/faults/${added.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await feed()).status).toBe(200);
    expect((await sim('/faults', { method: 'POST', json: { action: 'explode' } })).status).toBe(400);

    const settings = await sim('/settings', {
      method: 'POST',
      json: { maxTicketsPerRequest: 3, latencyMs: 1 },
    });
    const noCapacity = { capacity: null, hardLimit: null, retryAfterS: 1 };
    expect(settings.body).toEqual({ maxTicketsPerRequest: 3, latencyMs: 1, ...noCapacity });
    const requests = await sim<{ requests: unknown[] }>('/requests?path=/tickets/changes');
    expect(requests.body.requests).toHaveLength(2);
    await feed('?limit=0');
    expect((await sim<{ violations: Violation[] }>('/violations')).body.violations[0]?.kind).toBe(
      'bad-request',
    );
    expect((await sim('/violations', { method: 'DELETE' })).status).toBe(204);
    expect(wm.violations()).toEqual([]);
    expect((await sim('/reset', { method: 'POST' })).status).toBe(204);
    expect(wm.requests).toHaveLength(0);
    expect((await sim('/settings')).body).toEqual({ maxTicketsPerRequest: 500, latencyMs: 0, ...noCapacity });
  });

  it('when replay, retention and trickle are driven over HTTP, then the feed follows', async () => {
    wm.createTicket();
    wm.createTicket();
    await sim('/retention', { method: 'POST', json: { dropThroughSeq: wm.lastSeq() - 1 } });
    expect((await sim<{ changes: unknown[] }>('/changes')).body.changes).toHaveLength(1);
    await sim('/replay', { method: 'POST', json: { fromSeq: wm.lastSeq() } });
    expect((await feed(`?after=${wm.lastSeq()}`)).body.changes).toHaveLength(1);
    const before = wm.lastSeq();
    expect((await sim('/trickle', { method: 'POST', json: { ticketsPerSecond: 100 } })).status).toBe(204);
    await waitFor(() => wm.lastSeq() > before + 3);
    expect((await sim('/trickle', { method: 'DELETE' })).status).toBe(204);
  });

  it('when status reports are read over HTTP, then they are what WM received', async () => {
    const update = {
      ticketId: 'WM-1',
      version: 1,
      platform: 'sfyc',
      state: 'noted',
      externalId: 'SF-1',
      attempts: 1,
      error: null,
      at: '2026-11-26T09:40:05Z',
    };
    await call(`${wm.url}/tickets/status`, { method: 'POST', json: { updates: [update] } });
    const reports = await sim<{ reports: unknown[] }>('/status-reports');
    expect(reports.body.reports).toEqual([{ ...update, receivedAt: expect.any(String) as string }]);
  });
});
