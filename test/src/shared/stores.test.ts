import { afterAll, describe, expect, test } from 'vitest';
import {
  CorruptRecordError,
  createKeys,
  decodeRecord,
  heldReceivedEvents,
  decodeRecordHead,
  encodeRecord,
  OverviewStore,
  TicketStore,
  type Ticket,
} from '@tbe/shared';
import { aTicket } from '@tbe/shared/testing';
import { deletePrefix, testRedis, uniquePrefix } from '../index.ts';

const redis = testRedis();
const prefix = uniquePrefix('stores');
const keys = createKeys(prefix);
afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

const ticket = (version: number): Ticket => aTicket({ id: 'WM:1', version });

describe('TicketStore', () => {
  test('when versions arrive out of order or twice, then only a higher version is stored', async () => {
    const store = new TicketStore(redis, keys);
    expect(await store.putLatest('cherwell', ticket(3), 10)).toBe('stored');
    expect(await store.putLatest('cherwell', ticket(2), 9)).toBe('stale');
    // Same version again before the producer confirmed the job: queue it again (crash between the two).
    expect(await store.putLatest('cherwell', ticket(3), 10)).toBe('unqueued');
    await store.markQueued([{ part: 'cherwell', ticketId: 'WM:1', version: 3 }]);
    expect(await store.putLatest('cherwell', ticket(3), 10)).toBe('stale');
    expect(await store.putLatest('cherwell', ticket(5), 12)).toBe('stored');
    const latest = await store.getLatest('cherwell', 'WM:1');
    expect(latest?.ticket.version).toBe(5);
    expect(latest?.seq).toBe(12);
    expect(await store.getLatest('sfyc', 'WM:1')).toBeUndefined();
  });
});

describe('the stored record (compact format)', () => {
  test('when a ticket is encoded and decoded, then it comes back whole, optional fields absent or present', () => {
    const full = aTicket({ id: 'WM:7', version: 4, region: 'Norte', subregion: '', branchId: 'B-1\nx' });
    const bare = aTicket({ id: 'WM:8', version: 1, state: 'completed', completedAt: '2026-12-01T00:00:00Z' });
    delete bare.region;
    delete bare.subregion;
    delete bare.branchId;
    for (const [item, seq] of [
      [full, 41],
      [bare, 0],
    ] as const) {
      const record = encodeRecord({ ...item, summary: `line\nbreak ${item.summary}` }, seq);
      const back = decodeRecord(record, item.id, item.version);
      expect(back).toEqual({ ticket: { ...item, summary: `line\nbreak ${item.summary}` }, seq });
      expect(decodeRecordHead(record)).toEqual({
        seq,
        entity: item.entity,
        alarmType: item.alarmType,
        severity: item.severity,
        summary: `line\nbreak ${item.summary}`,
      });
    }
  });

  test('when a ticket is stored, then it takes less room than its JSON and reads back equal', async () => {
    const store = new TicketStore(redis, keys);
    const item = aTicket({ id: 'WM-SIZE', version: 2, details: 'Alarma SNR en el nodo. '.repeat(30) });
    await store.putLatest('sfyc', item, 77, 1234);
    const hash = await redis.hgetallBuffer(keys.ticket('sfyc', 'WM-SIZE'));
    expect(Object.keys(hash).sort()).toEqual(['storedAt', 't', 'version']);
    expect(hash.t?.length).toBeLessThan(Buffer.byteLength(JSON.stringify(item)) / 2);
    expect(await store.getLatest('sfyc', 'WM-SIZE')).toEqual({ ticket: item, seq: 77, storedAtMs: 1234 });
  });

  test('when a record was written by the release before (a `json` field), then it is read, and a newer version replaces it', async () => {
    const store = new TicketStore(redis, keys);
    const old = aTicket({ id: 'WM-OLD', version: 3 });
    // The format on main before the compact record: put-latest.lua stored these four fields.
    await redis.hset(keys.ticket('cherwell', 'WM-OLD'), {
      version: '3',
      seq: '15',
      json: JSON.stringify(old),
      storedAt: '999',
      queued: '3',
    });
    expect(await store.getLatest('cherwell', 'WM-OLD')).toEqual({ ticket: old, seq: 15, storedAtMs: 999 });
    expect(await store.putLatest('cherwell', old, 15)).toBe('stale');
    const newer = aTicket({ id: 'WM-OLD', version: 4, summary: 'newer' });
    expect(await store.putLatest('cherwell', newer, 16)).toBe('stored');
    expect((await redis.hkeys(keys.ticket('cherwell', 'WM-OLD'))).sort()).toEqual([
      'queued',
      'storedAt',
      't',
      'version',
    ]);
    expect((await store.getLatest('cherwell', 'WM-OLD'))?.ticket).toEqual(newer);
  });

  test('when a stored record is damaged, then reading it throws a CorruptRecordError naming what is wrong', async () => {
    const store = new TicketStore(redis, keys);
    const key = keys.ticket('cherwell', 'WM-BAD');
    const good = encodeRecord(aTicket({ id: 'WM-BAD' }), 1);
    const cases: [Buffer, RegExp][] = [
      [Buffer.from('\u0009whatever'), /unknown stored format 9/],
      [good.subarray(0, 20), /no head line|not JSON/],
      [
        Buffer.concat([good.subarray(0, good.indexOf(0x0a) + 1), Buffer.from('not deflated')]),
        /does not inflate/,
      ],
      [
        Buffer.concat([
          Buffer.from([1]),
          Buffer.from('[1,"e","SNR","critical"]\n'),
          good.subarray(good.indexOf(0x0a) + 1),
        ]),
        /head has 4 fields/,
      ],
    ];
    for (const [record, reason] of cases) {
      await redis.hset(key, 'version', '1', 't', record);
      const error = await store.getLatest('cherwell', 'WM-BAD').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CorruptRecordError);
      expect((error as Error).message).toMatch(reason);
    }
    await redis.del(key);
    await redis.hset(key, 'version', '1', 'json', '{"id":"WM-BAD"');
    await expect(store.getLatest('cherwell', 'WM-BAD')).rejects.toThrow(/json format\) does not validate/);
  });
});

describe('OverviewStore', () => {
  test('when a ticket is received, then its `received` events wait in the state hash and move into the history, in order, with its next event', async () => {
    const store = new OverviewStore(redis, keys);
    const received = (version: number, nowMs: number) => ({
      platform: 'cherwell' as const,
      ticketId: 'WM-H',
      state: 'queued' as const,
      event: { event: 'received', version, detail: null },
      nowMs,
    });
    await store.transition([received(1, Date.UTC(2026, 0, 1))]);
    await store.transition([received(2, Date.UTC(2026, 0, 2))]);
    expect(await redis.exists(keys.history('cherwell', 'WM-H'))).toBe(0);
    const held = heldReceivedEvents(
      (await redis.hget(keys.state('cherwell', 'WM-H'), 'received')) ?? undefined,
    );
    expect(held).toEqual([
      { at: '2026-01-02T00:00:00.000Z', event: 'received', version: 2, detail: null },
      { at: '2026-01-01T00:00:00.000Z', event: 'received', version: 1, detail: null },
    ]);
    await store.transition([
      { platform: 'cherwell', ticketId: 'WM-H', state: 'processing', nowMs: Date.UTC(2026, 0, 3) },
    ]);
    expect(await redis.exists(keys.history('cherwell', 'WM-H'))).toBe(0);
    await store.transition([
      {
        platform: 'cherwell',
        ticketId: 'WM-H',
        state: 'created',
        event: { event: 'created', version: 2, detail: null },
        nowMs: Date.UTC(2026, 0, 4),
      },
    ]);
    expect(await redis.hget(keys.state('cherwell', 'WM-H'), 'received')).toBeNull();
    const history = (await redis.lrange(keys.history('cherwell', 'WM-H'), 0, -1)).map(
      (json) => JSON.parse(json) as unknown,
    );
    expect(history).toEqual([
      { at: '2026-01-04T00:00:00.000Z', event: 'created', version: 2, detail: null },
      ...held,
    ]);
  });

  test('when a ticket changes state, then it moves between indexes and its history grows, bounded', async () => {
    const store = new OverviewStore(redis, keys);
    await store.transition([
      {
        platform: 'sfyc',
        ticketId: 'WM:1',
        state: 'queued',
        event: { event: 'queued', version: 1, detail: null },
      },
    ]);
    expect(await redis.zrange(keys.stateIndex('sfyc', 'queued'), 0, -1)).toEqual(['WM:1']);
    for (let i = 0; i < 60; i++) {
      await store.transition([
        {
          platform: 'sfyc',
          ticketId: 'WM:1',
          state: 'created',
          fields: { platformId: 'SF-1' },
          event: { event: 'created', version: i, detail: null },
        },
      ]);
    }
    expect(await redis.zcard(keys.stateIndex('sfyc', 'queued'))).toBe(0);
    expect(await redis.zrange(keys.stateIndex('sfyc', 'created'), 0, -1)).toEqual(['WM:1']);
    expect(await redis.hget(keys.state('sfyc', 'WM:1'), 'platformId')).toBe('SF-1');
    expect(await redis.llen(keys.history('sfyc', 'WM:1'))).toBe(50);
    const newest = JSON.parse((await redis.lindex(keys.history('sfyc', 'WM:1'), 0)) ?? '{}') as {
      version: number;
    };
    expect(newest.version).toBe(59);
  });
});
