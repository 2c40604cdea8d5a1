import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../common/testing.ts';
import { startWmSimulator } from './server.ts';
import type { WmSimulator } from './server.ts';

let wm: WmSimulator;
beforeAll(async () => {
  wm = await startWmSimulator();
});
afterEach(() => wm.reset());
afterAll(() => wm.close());

const update = (overrides: Record<string, unknown> = {}) => ({
  ticketId: 'WM-20261126-000123',
  version: 3,
  platform: 'cherwell',
  state: 'created',
  externalId: '102938',
  workOrder: 'OT-5512',
  attempts: 1,
  error: null,
  at: '2026-11-26T09:40:05Z',
  ...overrides,
});
const report = (updates: unknown[]) =>
  call(`${wm.url}/tickets/status`, { method: 'POST', json: { updates } });

describe('WM status reports', () => {
  it('when a valid report arrives, then 204, it is stored, and no violation is recorded', async () => {
    const failed = update({
      state: 'error',
      platform: 'sfyc',
      error: { code: 'FIELD_INVALID', message: 'x' },
    });
    const res = await report([update(), failed]);
    expect(res.status).toBe(204);
    expect(wm.statusReports()).toEqual([
      { ...update(), receivedAt: expect.any(String) as string },
      { ...failed, receivedAt: expect.any(String) as string },
    ]);
    expect(wm.requests[0]?.ticketIds).toEqual(['WM-20261126-000123']);
    expect(wm.violations()).toEqual([]);
  });

  it.each([
    ['attempts is missing', { attempts: undefined }],
    ['error is set on a success', { error: { code: 'X', message: 'y' } }],
    ['state error has no error', { state: 'error' }],
    ['state is unknown', { state: 'done' }],
    ['platform is unknown', { platform: 'jira' }],
    ['at is not ISO-8601', { at: 'yesterday' }],
  ])('when %s, then 400, nothing stored, and a bad-request violation', async (_name, overrides) => {
    const res = await report([update(), update(overrides)]);
    expect(res.status).toBe(400);
    expect(wm.statusReports()).toEqual([]);
    expect(wm.violations().map((v) => v.kind)).toEqual(['bad-request']);
  });

  it('when a report carries more than 500 updates, then 400 and a bad-request violation', async () => {
    const res = await report(Array.from({ length: 501 }, () => update()));
    expect(res.status).toBe(400);
    expect(wm.violations().map((v) => v.kind)).toEqual(['bad-request']);
  });

  it('when a report carries exactly 500 updates, then it is accepted', async () => {
    expect((await report(Array.from({ length: 500 }, () => update()))).status).toBe(204);
    expect(wm.violations()).toEqual([]);
  });

  it('when the configured bound is lower and exceeded, then batch-too-large but the report is accepted', async () => {
    wm.setMaxTicketsPerRequest(2);
    expect((await report([update(), update(), update()])).status).toBe(204);
    expect(wm.violations().map((v) => v.kind)).toEqual(['batch-too-large']);
  });

  it('when the body is not JSON or has no updates, then 400 and bad-request', async () => {
    const res = await call(`${wm.url}/tickets/status`, {
      method: 'POST',
      body: '{oops',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect((await call(`${wm.url}/tickets/status`, { method: 'POST', json: { items: [] } })).status).toBe(
      400,
    );
    expect(wm.violations().map((v) => v.kind)).toEqual(['bad-request', 'bad-request']);
  });

  it('when two reports for one ticket travel at once, then that is no overlap', async () => {
    wm.setLatencyMs(50);
    await Promise.all([report([update()]), report([update({ platform: 'sfyc' })])]);
    expect(wm.violations()).toEqual([]);
  });
});
