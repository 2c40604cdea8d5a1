import { afterEach, describe, expect, test } from 'vitest';
import { waitFor } from '../index.ts';
import { startHarness, type Harness } from './harness.ts';

/** Long enough a poll interval that a change seen sooner can only have come through a held poll. */
const LONG_POLL_ENV = { WM_LONG_POLL_S: '2', WM_REQUEST_TIMEOUT_MS: '5000', WM_POLL_INTERVAL_MS: '3000' };
const FALLBACK_ENV = { WM_LONG_POLL_S: '2', WM_REQUEST_TIMEOUT_MS: '5000', WM_POLL_INTERVAL_MS: '300' };
const FALLBACK_LINE = 'WM does not support waiting for changes';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const polls = () => h.sim.requests.filter((r) => r.path === '/tickets/changes');

describe('WM producer: waiting for changes (long polling)', () => {
  test('when WM holds empty polls, then an idle producer asks about once per wait and a new change is queued at once', async () => {
    h = await startHarness(LONG_POLL_ENV);
    const running = h.startProducer();
    const startedAt = Date.now();
    await waitFor(() => polls().length >= 3, { timeoutMs: 10_000, what: 'three polls' });
    // Three polls: the first at once, then one per held wait of 2 s.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(3500);
    expect(polls().every((r) => r.query.wait === '2')).toBe(true);
    // The third is being held now.
    expect(polls().map((r) => r.status)).toEqual([200, 200, null]);
    expect(await running.metric('tbe_producer_long_polling')).toBe(1);

    const createdAt = Date.now();
    h.sim.createTicket();
    await h.caughtUp(5000);
    // Far sooner than the 3 s poll interval: the held poll answered with the change.
    expect(Date.now() - createdAt).toBeLessThan(1500);
    expect(await h.waiting('sfyc')).toBe(1);
    expect(running.logs.join('')).not.toContain(FALLBACK_LINE);
    expect(h.sim.violations()).toEqual([]);
  });

  test('when WM refuses wait with 400, then the producer polls the plain way, says so once, and waits again after a restart', async () => {
    h = await startHarness(FALLBACK_ENV, { longPoll: 'reject' });
    const a = h.startProducer();
    await waitFor(() => polls().length >= 4, { what: 'four polls' });
    h.sim.createTicket();
    await h.caughtUp(5000);
    const seen = polls();
    expect(seen[0]).toMatchObject({ status: 400, query: { wait: '2' } });
    expect(seen.slice(1).every((r) => r.query.wait === undefined && r.status === 200)).toBe(true);
    expect(await a.metric('tbe_producer_long_polling')).toBe(0);
    expect(await a.metric('tbe_producer_polls_total', { outcome: 'status' })).toBe(0);
    expect(a.logs.filter((line) => line.includes(FALLBACK_LINE))).toHaveLength(1);
    expect(await h.waiting('cherwell')).toBe(1);
    await a.stop();

    h.sim.setLongPoll('supported');
    const before = polls().length;
    const b = h.startProducer();
    await waitFor(() => polls().length > before, { what: 'a poll after the restart' });
    expect(polls()[before]?.query.wait).toBe('2');
    expect(await b.metric('tbe_producer_long_polling')).toBe(1);
  });

  test('when WM ignores wait and answers empty pages at once, then the producer falls back to the poll interval, saying so once', async () => {
    h = await startHarness(FALLBACK_ENV, { longPoll: 'ignore' });
    const running = h.startProducer();
    await waitFor(() => polls().filter((r) => r.query.wait === undefined).length >= 3, {
      what: 'three plain polls',
    });
    const seen = polls();
    // Two fast empty pages to be sure, then plain polls spaced by the interval, not a spin.
    expect(seen.slice(0, 2).every((r) => r.query.wait === '2')).toBe(true);
    const plain = seen.filter((r) => r.query.wait === undefined);
    expect(plain.length).toBe(seen.length - 2);
    const gaps = plain.slice(1).map((r, i) => r.startedAt - (plain[i]?.startedAt ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(250);
    expect(await running.metric('tbe_producer_long_polling')).toBe(0);
    expect(running.logs.filter((line) => line.includes(FALLBACK_LINE))).toHaveLength(1);
    h.sim.createTicket();
    await h.caughtUp(5000);
  });

  test('when WM_LONG_POLL_S is 0, then polls never ask to wait', async () => {
    h = await startHarness({ ...FALLBACK_ENV, WM_LONG_POLL_S: '0' });
    const running = h.startProducer();
    await waitFor(() => polls().length >= 2, { what: 'two polls' });
    expect(polls().every((r) => r.query.wait === undefined)).toBe(true);
    expect(await running.metric('tbe_producer_long_polling')).toBe(0);
    expect(running.logs.join('')).not.toContain(FALLBACK_LINE);
  });
});
