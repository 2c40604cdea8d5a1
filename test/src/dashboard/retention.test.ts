import { afterEach, describe, expect, test } from 'vitest';
import { encodeRecord, stateFields, TicketStore, type Platform, type TicketState } from '@tbe/shared';
import { aTicket } from '@tbe/shared/testing';
import { deadLetter, startDashboardHarness, type DashboardHarness } from './harness.ts';

let h: DashboardHarness;
afterEach(async () => {
  await h.close();
});

const DAY_MS = 24 * 60 * 60 * 1000;
const T0 = Date.parse('2026-11-01T00:00:00Z');

/** How the stored version is written: this release's string, or a hash of a release before. */
type Layout = 'string' | 'hash-t' | 'hash-json';

/** Stores version `version` of the ticket, as stored at `atMs`, in the given layout. */
async function storeVersion(
  platform: Platform,
  ticketId: string,
  version: number,
  atMs: number,
  layout: Layout,
): Promise<void> {
  const item = aTicket({ id: ticketId, version });
  const key = h.keys.ticket(platform, ticketId);
  if (layout === 'string') await new TicketStore(h.redis, h.keys).putLatest(platform, item, 1, atMs);
  else if (layout === 'hash-t')
    await h.redis.hset(key, { version: String(version), t: encodeRecord(item, 1), storedAt: String(atMs) });
  else
    await h.redis.hset(key, {
      version: String(version),
      json: JSON.stringify(item),
      seq: '1',
      storedAt: String(atMs),
    });
}

/** A ticket whose last change was at `atMs`, with history and a stored version. */
async function ticket(
  platform: Platform,
  ticketId: string,
  state: TicketState,
  atMs: number,
  layout: Layout = 'string',
): Promise<void> {
  await storeVersion(platform, ticketId, 1, atMs, layout);
  await h.overview.transition([
    {
      platform,
      ticketId,
      state,
      fields: stateFields({ version: 1 }),
      event: { event: state, version: 1, detail: null },
      nowMs: atMs,
    },
  ]);
}

async function exists(platform: Platform, ticketId: string): Promise<number> {
  return h.redis.exists(
    h.keys.state(platform, ticketId),
    h.keys.history(platform, ticketId),
    h.keys.ticket(platform, ticketId),
  );
}

describe('overview retention', () => {
  test('when final tickets are older than the retention, then their state, history, stored version and index entries go', async () => {
    let nowMs = T0 + 7 * DAY_MS + 1;
    h = await startDashboardHarness(
      { TICKET_RETENTION_DAYS: '7' },
      { now: () => nowMs, retention: { everyMs: 0 } },
    );
    await ticket('cherwell', 'old-created', 'created', T0);
    await ticket('sfyc', 'old-resolved', 'resolved', T0);
    await ticket('cherwell', 'young', 'updated', T0 + 2 * DAY_MS);
    // Not final: kept however old.
    await ticket('cherwell', 'stuck', 'queued', T0);

    const result = await h.dashboard.sweeper.runOnce();

    expect(result.removed).toBe(2);
    expect(await exists('cherwell', 'old-created')).toBe(0);
    expect(await exists('sfyc', 'old-resolved')).toBe(0);
    expect(await h.redis.zscore(h.keys.stateIndex('cherwell', 'created'), 'old-created')).toBeNull();
    expect((await h.api('GET', '/api/tickets/old-created')).status).toBe(404);
    expect(await exists('cherwell', 'young')).toBe(3);
    expect(await exists('cherwell', 'stuck')).toBe(3);

    nowMs = T0 + 9 * DAY_MS + 1;
    expect((await h.dashboard.sweeper.runOnce()).removed).toBe(1);
    expect(await exists('cherwell', 'young')).toBe(0);
  });

  test('when an old error ticket still has its dead letter, then it is kept until the dead letter is discarded', async () => {
    let nowMs = T0 + 8 * DAY_MS;
    h = await startDashboardHarness(
      { TICKET_RETENTION_DAYS: '7' },
      { now: () => nowMs, retention: { everyMs: 0 } },
    );
    const id = await h.park(deadLetter('WM-E'));
    await ticket('cherwell', 'WM-E', 'error', T0);
    await ticket('cherwell', 'WM-F', 'error', T0);

    expect((await h.dashboard.sweeper.runOnce()).removed).toBe(1);
    expect(await exists('cherwell', 'WM-E')).toBe(3);
    expect(await exists('cherwell', 'WM-F')).toBe(0);

    // The discard is the ticket's last change: its retention starts again from there.
    await h.api('DELETE', `/api/dead-letters/cherwell/${id}`);
    expect((await h.dashboard.sweeper.runOnce()).removed).toBe(0);
    nowMs += 7 * DAY_MS + 1;
    expect((await h.dashboard.sweeper.runOnce()).removed).toBe(1);
    expect(await exists('cherwell', 'WM-E')).toBe(0);
  });

  test.each<Layout>(['string', 'hash-t', 'hash-json'])(
    'when a new version was stored after the cutoff (%s), then the ticket is kept (the producer is about to queue it)',
    async (layout) => {
      const nowMs = T0 + 8 * DAY_MS;
      h = await startDashboardHarness(
        { TICKET_RETENTION_DAYS: '7' },
        { now: () => nowMs, retention: { everyMs: 0 } },
      );
      await ticket('cherwell', 'WM-N', 'resolved', T0, layout);
      await storeVersion('cherwell', 'WM-N', 2, nowMs - 10, layout);
      // The same, stored before the cutoff: swept with its stored version.
      await ticket('cherwell', 'WM-O', 'resolved', T0, layout);
      expect(await h.redis.type(h.keys.ticket('cherwell', 'WM-O'))).toBe(
        layout === 'string' ? 'string' : 'hash',
      );
      expect((await h.dashboard.sweeper.runOnce()).removed).toBe(1);
      expect(await exists('cherwell', 'WM-N')).toBe(3);
      expect(await exists('cherwell', 'WM-O')).toBe(0);
    },
  );

  test('when more tickets are due than one pass may handle, then each pass removes a bounded share and later passes finish', async () => {
    const nowMs = T0 + 8 * DAY_MS;
    h = await startDashboardHarness({}, { now: () => nowMs, retention: { everyMs: 0, maxPerRun: 10 } });
    for (let i = 0; i < 12; i++) await ticket('cherwell', `WM-${i}`, 'created', T0 + i);
    // 10 per pass over 10 final-state indexes: one per index and pass.
    expect((await h.dashboard.sweeper.runOnce()).removed).toBe(1);
    expect(await h.redis.zscore(h.keys.stateIndex('cherwell', 'created'), 'WM-0')).toBeNull();
    let passes = 1;
    while ((await h.redis.zcard(h.keys.stateIndex('cherwell', 'created'))) > 0) {
      await h.dashboard.sweeper.runOnce();
      passes += 1;
    }
    expect(passes).toBe(12);
  });
});
