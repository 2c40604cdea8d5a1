import { Queue } from 'bullmq';
import { afterEach, describe, expect, test } from 'vitest';
import {
  createKeys,
  createLogger,
  heldReceivedEvents,
  partsOf,
  partTag,
  TicketRecords,
  type Part,
} from '@tbe/shared';
import { luaSource } from '@tbe/shared/store/scripts';
import { CursorStore, cursorCopyParts } from '@tbe/producers';
import { deletePrefix, testRedis, uniquePrefix, waitFor } from '../index.ts';
import { startHarness, type Harness } from './harness.ts';

// Cursor copies (docs/design.md, "Cursor copies"). On one Redis the tags are just keys, so a
// shard's failover to a replica that missed a page is played by hand: that partition's keys are
// deleted and its copy is set back to what it held before the page.

let h: Harness | undefined;
const queues: Queue[] = [];
afterEach(async () => {
  await Promise.all(queues.splice(0).map((queue) => queue.close()));
  await h?.close();
  h = undefined;
});

function partQueue(harness: Harness, part: Part): Queue {
  const queue = new Queue(part, { connection: harness.redis, prefix: harness.keys.platformPrefix(part) });
  queues.push(queue);
  return queue;
}

/**
 * A partition's copy once it matches: the producer writes the copies after the main cursor, so
 * `caughtUp` (which watches the main cursor) may return just before them.
 */
async function copyOnceItMatches(harness: Harness, part: Part, pattern: RegExp): Promise<string> {
  return waitFor(
    async () => {
      const copy = await harness.redis.get(harness.keys.cursorCopy(part));
      return copy !== null && pattern.test(copy) ? copy : undefined;
    },
    { what: `the cursor copy of ${part} matching ${String(pattern)}` },
  );
}

async function received(harness: Harness, part: Part, ticketId: string): Promise<number> {
  const held = heldReceivedEvents(
    (await harness.redis.hget(harness.keys.state(part, ticketId), 'received')) ?? undefined,
  );
  const events = await harness.redis.lrange(harness.keys.history(part, ticketId), 0, -1);
  return (
    held.length + events.filter((json) => (JSON.parse(json) as { event: string }).event === 'received').length
  );
}

describe('WM producer: cursor copies', () => {
  test.each([1, 3])(
    'when a partition shard loses the last page (QUEUE_PARTITIONS=%i), then the running producer replays it and queues the lost changes once',
    async (count) => {
      const harness = (h = await startHarness({ WM_PAGE_SIZE: '100', QUEUE_PARTITIONS: String(count) }));
      const parts = partsOf('cherwell', count);
      const lost = parts[count - 1] as Part;
      // Page A: sfyc only, so the lost partition holds nothing but its copy afterwards.
      for (let i = 0; i < 10; i++) harness.sim.createTicket({}, ['sfyc']);
      const running = harness.startProducer({ cursorCopies: true });
      await harness.caughtUp();
      const copyA = await copyOnceItMatches(harness, lost, /^\d+:10$/);
      // Page B: both platforms.
      const pageB = Array.from({ length: 9 }, () => harness.sim.createTicket());
      await harness.caughtUp();
      const before = await Promise.all(parts.map((part) => partQueue(harness, part).getWaitingCount()));
      const lostIndex = count - 1;
      expect(before.reduce((a, b) => a + b, 0)).toBe(9);
      expect(before[lostIndex]).toBeGreaterThan(0);
      const staleBefore = await running.metric('tbe_producer_changes_stale_total', { platform: 'sfyc' });
      expect(staleBefore).toBe(0);

      // The failover: the partition's writes of page B and its copy of page B are gone.
      // At once, as a failover does: a poll between a delete and a restore would find no copy.
      const copyKey = harness.keys.cursorCopy(lost);
      const shardKeys: string[] = [];
      for await (const batch of harness.redis.scanStream({ match: `${harness.prefix}:{${partTag(lost)}}*` }))
        shardKeys.push(...(batch as string[]).filter((key) => key !== copyKey));
      await harness.redis
        .multi()
        .unlink(...shardKeys)
        .set(copyKey, copyA)
        .exec();
      expect(await partQueue(harness, lost).getWaitingCount()).toBe(0);

      // The next poll reads the copies, replays page B: the lost partition's jobs come back.
      await waitFor(async () => (await partQueue(harness, lost).getWaitingCount()) === before[lostIndex], {
        what: 'the lost jobs queued again',
      });
      await waitFor(
        async () => (await running.metric('tbe_producer_changes_stale_total', { platform: 'sfyc' })) >= 9,
      );
      await harness.caughtUp();
      const after = await Promise.all(parts.map((part) => partQueue(harness, part).getWaitingCount()));
      expect(after).toEqual(before);
      const sfycWaiting = await Promise.all(
        partsOf('sfyc', count).map((part) => partQueue(harness, part).getWaitingCount()),
      );
      expect(sfycWaiting.reduce((a, b) => a + b, 0)).toBe(19);
      expect(await running.metric('tbe_producer_changes_stale_total', { platform: 'sfyc' })).toBe(9);
      const routes = new TicketRecords(harness.redis, harness.keys, count);
      for (const ticket of pageB) {
        const part = (await routes.partOf('cherwell', ticket.id)) as Part;
        expect(await received(harness, part, ticket.id)).toBe(1);
        const sfycPart = (await routes.partOf('sfyc', ticket.id)) as Part;
        expect(await received(harness, sfycPart, ticket.id)).toBe(1);
        expect((await harness.tickets.getLatest(part, ticket.id))?.ticket.version).toBe(1);
      }
      // Every copy vouches for the replayed page again.
      for (const part of cursorCopyParts(count)) await copyOnceItMatches(harness, part, /^\d+:19$/);
      expect(running.logs.some((line) => line.includes('a cursor copy is behind'))).toBe(true);
    },
  );

  test('when the producer restarts after an upgrade (a cursor, no copies yet), then it goes on from the cursor, not from the start', async () => {
    const harness = (h = await startHarness({ WM_PAGE_SIZE: '100' }));
    for (let i = 0; i < 15; i++) harness.sim.createTicket({}, ['cherwell']);
    await harness.redis.set(harness.keys.producer('cursor'), '10');
    const running = harness.startProducer({ cursorCopies: true });
    await harness.caughtUp();
    const polls = harness.sim.requests.filter((r) => r.path === '/tickets/changes');
    expect(polls[0]?.query.after).toBe('10');
    expect(await harness.waiting('cherwell')).toBe(5);
    expect(await copyOnceItMatches(harness, 'sfyc', /^\d+:15$/)).toBe('1:15');
    // The marker is written after the copies.
    await waitFor(async () => (await harness.redis.get(harness.keys.producer('cursor-copies'))) !== null, {
      what: 'the copies marker',
    });

    // Copies written once and one gone (its shard lost everything): all WM retains is replayed.
    await harness.redis.del(harness.keys.cursorCopy('sfyc'));
    await waitFor(
      async () => (await running.metric('tbe_producer_changes_stale_total', { platform: 'cherwell' })) >= 5,
    );
    await harness.caughtUp();
    expect(
      harness.sim.requests
        .filter((r) => r.path === '/tickets/changes')
        .some((r, i) => i > 0 && r.query.after === undefined),
    ).toBe(true);
    // Tickets 1..10 were never queued (before the upgrade's cursor): now they are, once.
    expect(await harness.waiting('cherwell')).toBe(15);
    expect(running.logs.some((line) => line.includes('cursor copies missing'))).toBe(true);
  });

  test('when a replica lost its lease, then neither its cursor nor its copies move anything', async () => {
    const redis = testRedis();
    const prefix = uniquePrefix('cursor-copies');
    const keys = createKeys(prefix);
    const logger = createLogger({ level: 'silent', role: 'producer' });
    const parts = cursorCopyParts(2);
    const a = new CursorStore(redis, keys, 'A', { parts, logger });
    const b = new CursorStore(redis, keys, 'B', { parts, logger });
    try {
      await redis.set(keys.producer('lease'), 'A');
      expect(await a.read()).toBeUndefined();
      expect(await a.write('5')).toBe(true);
      expect(await b.read()).toBe('5');
      for (const part of parts) expect(await redis.get(keys.cursorCopy(part))).toBe('1:5');

      await redis.set(keys.producer('lease'), 'B');
      expect(await a.write('9')).toBe(false);
      for (const part of parts) expect(await redis.get(keys.cursorCopy(part))).toBe('1:5');
      expect(await b.read()).toBe('5');
      expect(await b.write('7')).toBe(true);
      expect(await b.read()).toBe('7');

      // A stale leader's late copy of an older page changes nothing.
      const copy = luaSource('cursor-copy');
      const one = keys.cursorCopy(parts[0] as Part);
      expect(await redis.eval(copy, 1, one, '1', '5')).toBe(0);
      expect(await redis.get(one)).toBe('2:7');
      // A copy ahead of the cursor (any page number, any cursor) cannot move it forward.
      await redis.set(one, '99:1000');
      expect(await b.read()).toBe('7');
      // One behind it takes the cursor back (a replay), and the next write goes past every copy.
      await redis.set(keys.cursorCopy(parts[1] as Part), '1:5');
      expect(await b.read()).toBe('5');
      expect(await b.write('7')).toBe(true);
      expect(await redis.get(keys.producer('cursor-page'))).toBe('100');
      for (const part of parts) expect(await redis.get(keys.cursorCopy(part))).toBe('100:7');
    } finally {
      await deletePrefix(redis, prefix);
      redis.disconnect();
    }
  });
});
