import { afterAll, describe, expect, test } from 'vitest';
import {
  CorruptRecordError,
  createKeys,
  decodeRecord,
  decodeStoredHeader,
  heldReceivedEvents,
  decodeRecordHead,
  encodeRecord,
  OverviewStore,
  STORED_HEADER_BYTES,
  TicketStore,
  type Part,
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

/** A stored version as the releases before the compact record wrote it: a hash with `json`. */
async function storeJsonHash(part: Part, item: Ticket, fields: Record<string, string>): Promise<void> {
  await redis.hset(keys.ticket(part, item.id), {
    version: String(item.version),
    json: JSON.stringify(item),
    ...fields,
  });
}

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

  test('when a ticket is stored, then it is one string (header + record), smaller than its JSON, and reads back equal', async () => {
    const store = new TicketStore(redis, keys);
    const item = aTicket({ id: 'WM-SIZE', version: 2, details: 'Alarma SNR en el nodo. '.repeat(30) });
    await store.putLatest('sfyc', item, 77, 1234);
    const key = keys.ticket('sfyc', 'WM-SIZE');
    expect(await redis.type(key)).toBe('string');
    const value = (await redis.getBuffer(key))!;
    expect(value.subarray(0, STORED_HEADER_BYTES).toString()).toBe(`s0${'2'.padStart(16, '0')}0000000001234`);
    expect(value.subarray(STORED_HEADER_BYTES)).toEqual(encodeRecord(item, 77));
    expect(value.length).toBeLessThan(Buffer.byteLength(JSON.stringify(item)) / 2);
    expect(await store.getLatest('sfyc', 'WM-SIZE')).toEqual({ ticket: item, seq: 77, storedAtMs: 1234 });
    expect(await store.getVersion('sfyc', 'WM-SIZE')).toBe(2);
    // markQueued sets the flag in place (offset 1) and leaves the record alone.
    await store.markQueued([{ part: 'sfyc', ticketId: 'WM-SIZE', version: 2 }]);
    const marked = (await redis.getBuffer(key))!;
    expect(marked.toString('latin1', 0, 2)).toBe('s1');
    expect(marked.subarray(2)).toEqual(value.subarray(2));
    expect(decodeStoredHeader(marked)).toEqual({ version: 2, queued: true, storedAtMs: 1234 });
  });

  test('when markQueued names a version that is not the stored one, or no ticket, then nothing is written', async () => {
    const store = new TicketStore(redis, keys);
    await store.putLatest('sfyc', aTicket({ id: 'WM-MQ', version: 4 }), 1);
    // An older version's confirmation, arriving after a newer version was stored.
    await store.markQueued([
      { part: 'sfyc', ticketId: 'WM-MQ', version: 3 },
      { part: 'sfyc', ticketId: 'WM-NONE', version: 1 },
    ]);
    expect(decodeStoredHeader((await redis.getBuffer(keys.ticket('sfyc', 'WM-MQ')))!).queued).toBe(false);
    expect(await redis.exists(keys.ticket('sfyc', 'WM-NONE'))).toBe(0);
    expect(await store.putLatest('sfyc', aTicket({ id: 'WM-MQ', version: 4 }), 1)).toBe('unqueued');
    // Entries of two partitions in one call: one script call each.
    await store.putLatest('cherwell', aTicket({ id: 'WM-MQ', version: 2 }), 1);
    await store.markQueued([
      { part: 'sfyc', ticketId: 'WM-MQ', version: 4 },
      { part: 'cherwell', ticketId: 'WM-MQ', version: 2 },
    ]);
    expect(await store.putLatest('sfyc', aTicket({ id: 'WM-MQ', version: 4 }), 1)).toBe('stale');
    expect(await store.putLatest('cherwell', aTicket({ id: 'WM-MQ', version: 2 }), 1)).toBe('stale');
    // A newer version clears the flag: its own job is still to be confirmed.
    expect(await store.putLatest('sfyc', aTicket({ id: 'WM-MQ', version: 5 }), 2)).toBe('stored');
    expect(await store.putLatest('sfyc', aTicket({ id: 'WM-MQ', version: 5 }), 2)).toBe('unqueued');
  });

  test('when a record was written by the release before (a `json` field), then it is read, and a newer version replaces it', async () => {
    const store = new TicketStore(redis, keys);
    const old = aTicket({ id: 'WM-OLD', version: 3 });
    // The format on main before the compact record: put-latest.lua stored these fields.
    await storeJsonHash('cherwell', old, { seq: '15', storedAt: '999', queued: '3' });
    expect(await store.getLatest('cherwell', 'WM-OLD')).toEqual({ ticket: old, seq: 15, storedAtMs: 999 });
    expect(await store.putLatest('cherwell', old, 15)).toBe('stale');
    const newer = aTicket({ id: 'WM-OLD', version: 4, summary: 'newer' });
    expect(await store.putLatest('cherwell', newer, 16)).toBe('stored');
    expect(await redis.type(keys.ticket('cherwell', 'WM-OLD'))).toBe('string');
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
    // This release's string: a damaged header, or a damaged record behind a good one.
    const header = (version: string) => Buffer.from(`s0${version}0000000001234`, 'latin1');
    const strings: [Buffer, RegExp][] = [
      [
        Buffer.concat([Buffer.from('x'), header('0000000000000001').subarray(1), good]),
        /not a version header/,
      ],
      [Buffer.concat([header('00000000000000x1'), good]), /not a version header/],
      [
        Buffer.concat([header('0000000000000000'), good]),
        /stored version 0000000000000000 is not an integer >= 1/,
      ],
      [header('0000000000000001').subarray(0, 20), /not a version header/],
      [Buffer.concat([header('0000000000000001'), good.subarray(0, 20)]), /no head line|not JSON/],
    ];
    for (const [value, reason] of strings) {
      await redis.del(key);
      await redis.set(key, value);
      const error = await store.getLatest('cherwell', 'WM-BAD').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CorruptRecordError);
      expect((error as Error).message).toMatch(reason);
    }
    // A damaged header has no version to fence on: the next version stored replaces it.
    expect(await store.getVersion('cherwell', 'WM-BAD')).toBe(1);
    await redis.set(key, Buffer.concat([Buffer.from('garbage'), good]));
    expect(await store.getVersion('cherwell', 'WM-BAD')).toBeUndefined();
    expect(await store.putLatest('cherwell', aTicket({ id: 'WM-BAD', version: 1 }), 1)).toBe('stored');
    expect((await store.getLatest('cherwell', 'WM-BAD'))?.ticket.version).toBe(1);
  });
});

describe('upgrade: stored versions the releases before wrote (hashes)', () => {
  const compact = async (ticketId: string, version: number, fields: Record<string, string> = {}) => {
    const item = aTicket({ id: ticketId, version });
    await redis.hset(keys.ticket('sfyc', ticketId), {
      version: String(version),
      t: encodeRecord(item, 40),
      storedAt: '555',
      ...fields,
    });
    return item;
  };

  test('when a compact hash (`t`) is stored, then it is read, fenced on its `version` and `queued`, and a newer version replaces it with a string', async () => {
    const store = new TicketStore(redis, keys);
    const item = await compact('WM-HT', 6);
    expect(await store.getLatest('sfyc', 'WM-HT')).toEqual({ ticket: item, seq: 40, storedAtMs: 555 });
    expect(await store.getVersion('sfyc', 'WM-HT')).toBe(6);
    expect(await store.putLatest('sfyc', aTicket({ id: 'WM-HT', version: 5 }), 41)).toBe('stale');
    // Stored by the old producer, which died before marking it queued.
    expect(await store.putLatest('sfyc', item, 40)).toBe('unqueued');
    expect(await redis.type(keys.ticket('sfyc', 'WM-HT'))).toBe('hash');
    // The new producer's markQueued on the old hash marks it the old way.
    await store.markQueued([{ part: 'sfyc', ticketId: 'WM-HT', version: 6 }]);
    expect(await redis.hget(keys.ticket('sfyc', 'WM-HT'), 'queued')).toBe('6');
    expect(await store.putLatest('sfyc', item, 40)).toBe('stale');
    // An old `queued` of an earlier version does not count for this one.
    await compact('WM-HQ', 6, { queued: '5' });
    expect(await store.putLatest('sfyc', aTicket({ id: 'WM-HQ', version: 6 }), 40)).toBe('unqueued');

    const newer = aTicket({ id: 'WM-HT', version: 7, summary: 'newer' });
    expect(await store.putLatest('sfyc', newer, 42, 777)).toBe('stored');
    expect(await redis.type(keys.ticket('sfyc', 'WM-HT'))).toBe('string');
    expect(await store.getLatest('sfyc', 'WM-HT')).toEqual({ ticket: newer, seq: 42, storedAtMs: 777 });
  });

  test('when a json hash is stored, then its version fences and getVersion reads it', async () => {
    const store = new TicketStore(redis, keys);
    const old = aTicket({ id: 'WM-HJ', version: 9 });
    await storeJsonHash('sfyc', old, { seq: '3', storedAt: '1' });
    expect(await store.getVersion('sfyc', 'WM-HJ')).toBe(9);
    expect(await store.putLatest('sfyc', aTicket({ id: 'WM-HJ', version: 8 }), 4)).toBe('stale');
    expect(await store.putLatest('sfyc', old, 3)).toBe('unqueued');
    expect(await store.getLatest('sfyc', 'WM-HJ')).toEqual({ ticket: old, seq: 3, storedAtMs: 1 });
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

  test('when a transition carries its job lock and the lock holds another token, then that ticket alone is left unwritten', async () => {
    const store = new OverviewStore(redis, keys);
    const lockKey = (id: string) => `${keys.platformPrefix('cherwell')}:cherwell:${id}:lock`;
    await redis.set(lockKey('1'), 'run-a', 'PX', 10_000);
    await redis.set(lockKey('2'), 'another-run', 'PX', 10_000);
    const lost = await store.transition(
      ['1', '2', '3'].map((n) => ({
        platform: 'cherwell' as const,
        ticketId: `WM:F${n}`,
        state: 'processing' as const,
        fields: { platformId: `C-${n}` },
        event: { event: 'create', version: 1, detail: null },
        // WM:F3's job has no lock key set at all: gone, so lost too.
        lock: { key: lockKey(n), token: 'run-a' },
      })),
    );
    expect([...lost]).toEqual(['WM:F2', 'WM:F3']);
    expect(await redis.hget(keys.state('cherwell', 'WM:F1'), 'platformId')).toBe('C-1');
    expect(await redis.exists(keys.state('cherwell', 'WM:F2'), keys.history('cherwell', 'WM:F2'))).toBe(0);
    expect(await redis.exists(keys.state('cherwell', 'WM:F3'))).toBe(0);
    expect(await redis.zrange(keys.stateIndex('cherwell', 'processing'), 0, -1)).toEqual(['WM:F1']);
    // Without a lock the transition is written as before.
    expect(
      await store.transition([{ platform: 'cherwell', ticketId: 'WM:F2', state: 'processing' }]),
    ).toEqual(new Set());
    expect(await redis.hget(keys.state('cherwell', 'WM:F2'), 'state')).toBe('processing');
  });
});
