import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../common/testing.ts';
import { seededRandom } from '../common/random.ts';
import { waitFor } from '../common/testing.ts';
import { startWmSimulator } from './server.ts';
import type { WmSimulator } from './server.ts';
import type { WmChange } from './ticket.ts';

let wm: WmSimulator;
beforeAll(async () => {
  wm = await startWmSimulator({ random: seededRandom(7) });
});
afterEach(() => wm.reset());
afterAll(() => wm.close());

const changesUrl = () => `${wm.url}/tickets/changes`;

describe('fault injection (through the WM feed)', () => {
  it('when a status fault with retryAfter is set for one hit, then it answers once with the header, then normally', async () => {
    wm.faults.add({ path: '/tickets/changes', action: 'status', status: 503, retryAfter: 7, times: 1 });
    const failed = await call(changesUrl());
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('7');
    expect(failed.body).toEqual({ error: 'server_error', message: 'injected fault' });
    expect((await call(changesUrl())).status).toBe(200);
    expect(wm.requests.map((r) => r.faults)).toEqual([['status'], []]);
  });

  it('when retryAfter is an HTTP date, then the header carries it unchanged', async () => {
    const date = new Date(Date.now() + 5000).toUTCString();
    wm.faults.add({ path: /changes$/, action: 'status', status: 429, retryAfter: date });
    expect((await call(changesUrl())).headers.get('retry-after')).toBe(date);
  });

  it('when the method or path does not match, then the rule does not fire', async () => {
    wm.faults.add({ path: '/tickets/status', action: 'status', status: 500 });
    wm.faults.add({ path: '/tickets/changes', method: 'POST', action: 'status', status: 500 });
    expect((await call(changesUrl())).status).toBe(200);
  });

  it('when a rule is removed or cleared, then it stops firing', async () => {
    const id = wm.faults.add({ action: 'status', status: 500 });
    expect((await call(changesUrl())).status).toBe(500);
    expect(wm.faults.remove(id)).toBe(true);
    expect((await call(changesUrl())).status).toBe(200);
    wm.faults.add({ action: 'status', status: 500 });
    wm.faults.clear();
    expect((await call(changesUrl())).status).toBe(200);
  });

  it('when share is 0.5, then roughly half the requests fail; share 0 never', async () => {
    wm.faults.add({ action: 'status', status: 502, share: 0.5 });
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () => call(changesUrl()).then((r) => r.status)),
    );
    const failed = statuses.filter((s) => s === 502).length;
    expect(failed).toBeGreaterThan(8);
    expect(failed).toBeLessThan(32);
    wm.faults.clear();
    wm.faults.add({ action: 'status', status: 502, share: 0 });
    expect((await call(changesUrl())).status).toBe(200);
  });

  it('when the request hangs, then nothing is answered until the client gives up', async () => {
    wm.faults.add({ action: 'hang' });
    await expect(fetch(changesUrl(), { signal: AbortSignal.timeout(150) })).rejects.toThrow();
    await waitFor(() => wm.requests[0]?.outcome === 'abandoned');
    expect(wm.requests[0]?.status).toBeNull();
  });

  it('when the socket is reset, then the client sees a network error', async () => {
    wm.faults.add({ action: 'reset', times: 1 });
    await expect(fetch(changesUrl())).rejects.toThrow();
    expect(wm.requests[0]?.outcome).toBe('reset');
  });

  it('when invalid JSON is injected, then the body does not parse', async () => {
    wm.faults.add({ action: 'invalid-json' });
    const res = await fetch(changesUrl());
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
  });

  it('when an invalid envelope is injected, then changes is no array', async () => {
    wm.faults.add({ action: 'invalid-envelope' });
    const res = await call<{ changes: unknown }>(changesUrl());
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body.changes)).toBe(false);
  });

  it('when an oversized body is injected, then 20 MiB arrive that still hold the real page', async () => {
    const t = wm.createTicket();
    wm.faults.add({ action: 'oversized' });
    const res = await fetch(`${changesUrl()}?limit=1`);
    const text = await res.text();
    expect(Buffer.byteLength(text)).toBe(20 * 1024 * 1024);
    expect((JSON.parse(text) as { changes: WmChange[] }).changes[0]?.ticket.id).toBe(t.id);
  });

  it('when latency is set globally or by a rule, then answers come that much later', async () => {
    wm.setLatencyMs(60);
    wm.faults.add({ action: 'latency', latencyMs: 60 });
    const started = Date.now();
    expect((await call(changesUrl())).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('when a rule names WM ticket ids, then it fires only for requests touching them', async () => {
    wm.faults.add({ path: '/tickets/status', ticketIds: ['WM-2'], action: 'status', status: 500 });
    const send = (ticketId: string) =>
      call(`${wm.url}/tickets/status`, {
        method: 'POST',
        json: {
          updates: [
            {
              ticketId,
              version: 1,
              platform: 'sfyc',
              state: 'created',
              attempts: 1,
              error: null,
              at: '2026-11-26T09:40:05Z',
            },
          ],
        },
      });
    expect((await send('WM-1')).status).toBe(204);
    expect((await send('WM-2')).status).toBe(500);
  });

  it('when commit-then-fail hits a status report, then WM stored it although the client got 500', async () => {
    wm.faults.add({ path: '/tickets/status', action: 'commit-then-fail' });
    const res = await call(`${wm.url}/tickets/status`, {
      method: 'POST',
      json: {
        updates: [
          {
            ticketId: 'WM-1',
            version: 1,
            platform: 'sfyc',
            state: 'created',
            attempts: 1,
            error: null,
            at: '2026-11-26T09:40:05Z',
          },
        ],
      },
    });
    expect(res.status).toBe(500);
    expect(wm.statusReports()).toHaveLength(1);
  });
});
