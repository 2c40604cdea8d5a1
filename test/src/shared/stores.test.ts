import { afterAll, describe, expect, test } from 'vitest';
import { createKeys, OverviewStore, TicketStore, type Ticket } from '@tbe/shared';
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
    await store.markQueued([{ platform: 'cherwell', ticketId: 'WM:1', version: 3 }]);
    expect(await store.putLatest('cherwell', ticket(3), 10)).toBe('stale');
    expect(await store.putLatest('cherwell', ticket(5), 12)).toBe('stored');
    const latest = await store.getLatest('cherwell', 'WM:1');
    expect(latest?.ticket.version).toBe(5);
    expect(latest?.seq).toBe(12);
    expect(await store.getLatest('sfyc', 'WM:1')).toBeUndefined();
  });
});

describe('OverviewStore', () => {
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
