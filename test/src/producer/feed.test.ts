import { afterEach, describe, expect, test } from 'vitest';
import { QuarantineStore } from '@tbe/shared/store/quarantine';
import { readProducerStatus } from '@tbe/shared/store/producer-status';
import { waitFor } from '../index.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

describe('WM producer: the feed', () => {
  test('when the feed holds more changes than a page, then every change is queued page by page with the token', async () => {
    h = await startHarness({ WM_PAGE_SIZE: '40', WM_TOKEN: 'wm-secret-token' }, { token: 'wm-secret-token' });
    const created = Array.from({ length: 250 }, () => h.sim.createTicket());
    const running = h.startProducer();
    await h.caughtUp();

    expect(await h.waiting('cherwell')).toBe(250);
    expect(await h.waiting('sfyc')).toBe(250);
    const polls = h.sim.requests.filter((r) => r.path === '/tickets/changes');
    expect(polls.length).toBeGreaterThanOrEqual(7);
    expect(polls.every((r) => r.query.limit === '40' && r.status === 200)).toBe(true);
    expect(polls[0]?.query.after).toBeUndefined();
    expect(polls[1]?.query.after).toBe('40');
    const last = created.at(-1);
    expect((await h.tickets.getLatest('sfyc', last?.id ?? ''))?.ticket).toEqual(last);
    expect(await running.metric('tbe_producer_changes_queued_total', { platform: 'cherwell' })).toBe(250);
    const status = await readProducerStatus(h.redis, h.keys);
    expect(status).toMatchObject({ cursor: '250', lastError: null, leader: running.producer.id, limit: 40 });
    expect(h.sim.violations()).toEqual([]);
  });

  test('when the producer restarts, then it goes on from the stored cursor and queues nothing twice', async () => {
    h = await startHarness({ WM_PAGE_SIZE: '25' });
    const first = Array.from({ length: 30 }, () => h.sim.createTicket());
    const a = h.startProducer();
    await h.caughtUp();
    await a.stop();

    for (let i = 0; i < 20; i++) h.sim.createTicket();
    for (const ticket of first.slice(0, 5)) h.sim.updateTicket(ticket.id, { alarmCount: 99 });
    const b = h.startProducer();
    await h.caughtUp();

    const bPolls = h.sim.requests.filter((r) => r.path === '/tickets/changes').slice(-3);
    expect(bPolls.some((r) => r.query.after === '30')).toBe(true);
    // The page's counters move just after its cursor.
    await waitFor(
      async () => (await b.metric('tbe_producer_changes_queued_total', { platform: 'cherwell' })) >= 25,
    );
    expect(await b.metric('tbe_producer_changes_queued_total', { platform: 'cherwell' })).toBe(25);
    expect(await b.metric('tbe_producer_changes_stale_total', { platform: 'cherwell' })).toBe(0);
    // 50 tickets, each one waiting job: the 5 updated versions joined their waiting job.
    expect(await h.waiting('cherwell')).toBe(50);
    expect((await h.tickets.getLatest('cherwell', first[0]?.id ?? ''))?.ticket.version).toBe(2);
    expect((await h.tickets.getLatest('cherwell', first[9]?.id ?? ''))?.ticket.version).toBe(1);
    expect(await h.receivedEvents('cherwell', first[9]?.id ?? '')).toBe(1);
    expect(await h.receivedEvents('cherwell', first[0]?.id ?? '')).toBe(2);
  });

  test('when WM serves changes again, then the repeats are fenced off and queued once', async () => {
    h = await startHarness({ WM_PAGE_SIZE: '50' });
    const tickets = Array.from({ length: 20 }, () => h.sim.createTicket());
    const running = h.startProducer();
    await h.caughtUp();

    h.sim.replayFrom(1);
    await waitFor(
      async () => (await running.metric('tbe_producer_changes_stale_total', { platform: 'sfyc' })) === 20,
      {
        what: '20 repeats fenced off',
      },
    );
    expect(await running.metric('tbe_producer_changes_queued_total', { platform: 'sfyc' })).toBe(20);
    expect(await h.waiting('sfyc')).toBe(20);
    for (const ticket of tickets) expect(await h.receivedEvents('sfyc', ticket.id)).toBe(1);
  });

  test('when WM skips versions, then the highest version is stored and queued', async () => {
    h = await startHarness();
    const ticket = h.sim.createTicket({}, ['cherwell']);
    h.sim.updateTicket(ticket.id, { alarmCount: 5 }, { skipVersions: 3 });
    h.sim.completeTicket(ticket.id, { skipVersions: 1 });
    h.startProducer();
    await h.caughtUp();

    const stored = await h.tickets.getLatest('cherwell', ticket.id);
    expect(stored?.ticket).toMatchObject({ version: 7, state: 'completed', alarmCount: 5 });
    expect(await h.waiting('cherwell')).toBe(1);
    expect(await h.waiting('sfyc')).toBe(0);
    expect(await h.redis.hget(h.keys.state('cherwell', ticket.id), 'state')).toBe('queued');
  });

  test('when one change is invalid, then it is quarantined with its reason and its neighbours are queued', async () => {
    h = await startHarness();
    const before = h.sim.createTicket();
    const good = h.sim.createTicket();
    const badSeq = h.sim.pushRaw({
      platforms: ['cherwell', 'jira'],
      ticket: { ...good, id: 'WM-BAD', version: 0, severity: 'huge' },
    });
    const after = h.sim.createTicket();
    const running = h.startProducer();
    await h.caughtUp();

    for (const ticket of [before, good, after]) {
      expect((await h.tickets.getLatest('cherwell', ticket.id))?.ticket.version).toBe(1);
    }
    expect(await h.tickets.getLatest('cherwell', 'WM-BAD')).toBeUndefined();
    expect(await h.waiting('cherwell')).toBe(3);
    const { items, next } = await new QuarantineStore(h.redis, h.keys).list({ limit: 10 });
    expect(next).toBeNull();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ seq: badSeq, ticketId: 'WM-BAD' });
    for (const path of ['platforms.1', 'ticket.version', 'ticket.severity'])
      expect(items[0]?.reason).toContain(`${path}:`);
    expect(JSON.parse(items[0]?.change ?? '{}')).toMatchObject({ seq: badSeq, ticket: { id: 'WM-BAD' } });
    expect(await running.metric('tbe_producer_changes_quarantined_total')).toBe(1);

    // Served again (at-least-once): kept once.
    h.sim.replayFrom(1);
    await waitFor(async () => (await running.metric('tbe_producer_changes_quarantined_total')) === 2);
    expect((await new QuarantineStore(h.redis, h.keys).list({ limit: 10 })).items).toHaveLength(1);
  });

  test('when many changes are quarantined, then the listing pages newest first with a cursor', async () => {
    h = await startHarness();
    const seqs = Array.from({ length: 7 }, (_, i) =>
      h.sim.pushRaw({ platforms: ['sfyc'], ticket: { id: `WM-X${i}` } }),
    );
    h.startProducer();
    await h.caughtUp();
    const store = new QuarantineStore(h.redis, h.keys);
    const page1 = await store.list({ limit: 3 });
    const page2 = await store.list({ limit: 3, cursor: page1.next ?? '' });
    h.sim.pushRaw({ platforms: ['sfyc'], ticket: { id: 'WM-LATE' } });
    await h.caughtUp();
    // A new entry at the head does not shift the pages after the cursor.
    const page3 = await store.list({ limit: 3, cursor: page2.next ?? '' });
    expect([...page1.items, ...page2.items, ...page3.items].map((e) => e.seq)).toEqual([...seqs].reverse());
    expect(page3.next).toBeNull();
  });

  test('when processing is disabled (queue paused), then changes are still received and wait', async () => {
    h = await startHarness();
    await h.queues.cherwell.pause();
    for (let i = 0; i < 15; i++) h.sim.createTicket();
    h.startProducer();
    await h.caughtUp();
    expect(await h.queues.cherwell.isPaused()).toBe(true);
    expect(await h.queues.cherwell.getJobCounts('waiting')).toEqual({ waiting: 15 });
    expect(await h.waiting('sfyc')).toBe(15);
  });

  test('when WM answers 410 Gone, then the producer starts again from the oldest change and repeats are harmless', async () => {
    h = await startHarness();
    const tickets = Array.from({ length: 12 }, () => h.sim.createTicket());
    const running = h.startProducer();
    await h.caughtUp();
    // A cursor WM no longer knows (as after a WM reinstall).
    await h.redis.set(h.keys.producer('cursor'), '999999');
    await waitFor(async () => (await running.metric('tbe_producer_polls_total', { outcome: 'gone' })) >= 1);
    await h.caughtUp();

    const polls = h.sim.requests.filter((r) => r.path === '/tickets/changes');
    const goneAt = polls.findIndex((r) => r.status === 410);
    expect(polls[goneAt]?.query.after).toBe('999999');
    expect(polls[goneAt + 1]?.query.after).toBeUndefined();
    // The cursor moves before the page's counters: wait for them rather than read them at once.
    await waitFor(
      async () => (await running.metric('tbe_producer_changes_stale_total', { platform: 'cherwell' })) >= 12,
    );
    expect(await running.metric('tbe_producer_changes_stale_total', { platform: 'cherwell' })).toBe(12);
    for (const ticket of tickets) expect(await h.receivedEvents('cherwell', ticket.id)).toBe(1);
    expect((await readProducerStatus(h.redis, h.keys)).lastRestartAt).not.toBeNull();
  });
});
