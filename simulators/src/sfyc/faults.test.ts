import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../common/testing.ts';
import { startSfycSimulator } from './server.ts';
import type { SfycSimulator } from './server.ts';
import { batch, login, orders, upsert } from './testing.ts';

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

describe('SFyC faults', () => {
  it('when item errors are injected for some tickets, then only those fail, retryable or not', async () => {
    sim.faults.add({ path: '/v1/tickets/batch', ticketIds: ['WM-2'], action: 'item-error', error: 'lock' });
    sim.faults.add({
      path: '/v1/tickets/batch',
      ticketIds: ['WM-3'],
      action: 'item-error',
      error: 'validation',
    });
    sim.faults.add({
      path: '/v1/tickets/batch',
      ticketIds: ['WM-4'],
      action: 'item-error',
      error: 'not-found',
    });
    const res = await batch(sim, token, [upsert('WM-1'), upsert('WM-2'), upsert('WM-3'), upsert('WM-4')]);
    expect(res.body.results.map((r) => [r.success, r.errors?.[0]?.code, r.errors?.[0]?.retryable])).toEqual([
      [true, undefined, undefined],
      [false, 'LOCKED', true],
      [false, 'FIELD_INVALID', false],
      [false, 'NOT_FOUND', false],
    ]);
    expect(sim.tickets().map((t) => t.externalId)).toEqual(['WM-1']);
  });

  it('when item errors hit work orders, then that order fails', async () => {
    const id = (await batch(sim, token, [upsert('WM-1')])).body.results[0]?.id ?? '';
    sim.faults.add({ path: '/v1/work-orders/batch', action: 'item-error', error: 'lock', times: 1 });
    expect(
      (await orders(sim, token, [{ ticketId: id, externalId: 'WM-1' }])).body.results[0]?.errors?.[0]?.code,
    ).toBe('LOCKED');
    expect((await orders(sim, token, [{ ticketId: id, externalId: 'WM-1' }])).body.results[0]?.created).toBe(
      true,
    );
  });

  it('when commit-then-fail hits a batch, then 500 but the upsert is there, and repeating it is harmless', async () => {
    sim.faults.add({ path: '/v1/tickets/batch', action: 'commit-then-fail', times: 1 });
    const res = await batch(sim, token, [upsert('WM-1')]);
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ error: { code: 'INTERNAL' } });
    expect(sim.tickets()).toHaveLength(1);
    expect((await batch(sim, token, [upsert('WM-1')])).body.results[0]).toMatchObject({
      success: true,
      created: false,
    });
  });

  it('when 429 or 503 are injected, then they carry Retry-After in seconds and the SFyC error body', async () => {
    sim.faults.add({ path: '/v1/tickets/batch', action: 'status', status: 429, retryAfter: 3, times: 1 });
    const res = await batch(sim, token, [upsert('WM-1')]);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.body).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  });

  it('when the token endpoint fails with 5xx or hangs, then that is what the client sees', async () => {
    sim.faults.add({ path: '/oauth/token', action: 'status', status: 503, times: 1 });
    expect((await call(`${sim.url}/oauth/token`, { method: 'POST' })).status).toBe(503);
    sim.faults.add({ path: '/oauth/token', action: 'hang', times: 1 });
    await expect(
      fetch(`${sim.url}/oauth/token`, { method: 'POST', signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow();
  });
});
