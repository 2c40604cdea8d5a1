import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearer, call } from '../common/testing.ts';
import { startWmSimulator } from './server.ts';
import type { WmSimulator } from './server.ts';
import type { WmChange } from './ticket.ts';

interface Page {
  changes: WmChange[];
  cursor?: string;
  hasMore: boolean;
}

let wm: WmSimulator;
beforeAll(async () => {
  wm = await startWmSimulator({ maxRetainedChanges: 1000 });
});
afterEach(() => wm.reset());
afterAll(() => wm.close());

const poll = (query = '') => call<Page>(`${wm.url}/tickets/changes${query}`);

describe('WM feed', () => {
  it('when the feed is empty, then a first poll answers no changes and no cursor', async () => {
    const res = await poll();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ changes: [], hasMore: false });
  });

  it('when tickets are added, then pages follow the cursor, hasMore says more, and an empty page echoes after', async () => {
    const created = [wm.createTicket(), wm.createTicket(), wm.createTicket()];
    const first = await poll('?limit=2');
    expect(first.body.changes.map((c) => c.ticket.id)).toEqual([created[0]?.id, created[1]?.id]);
    expect(first.body.hasMore).toBe(true);
    const second = await poll(`?after=${first.body.cursor ?? ''}&limit=2`);
    expect(second.body.changes).toHaveLength(1);
    expect(second.body.hasMore).toBe(false);
    const seqs = [...first.body.changes, ...second.body.changes].map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const empty = await poll(`?after=${second.body.cursor ?? ''}&limit=2`);
    expect(empty.body).toEqual({ changes: [], cursor: second.body.cursor, hasMore: false });
  });

  it('when a change is served, then it carries platforms and the full ticket of the contract', async () => {
    const ticket = wm.createTicket({ severity: 'minor' }, ['sfyc']);
    const res = await poll();
    expect(res.body.changes[0]).toEqual({ seq: wm.lastSeq(), platforms: ['sfyc'], ticket });
    expect(ticket).toMatchObject({ version: 1, state: 'open', severity: 'minor', completedAt: null });
  });

  it('when a ticket is updated, skips versions and completes, then each change has its own snapshot', async () => {
    const t = wm.createTicket();
    wm.updateTicket(t.id, { alarmCount: 99 });
    wm.updateTicket(t.id, { summary: 'x' }, { skipVersions: 2 });
    wm.completeTicket(t.id);
    const { body } = await poll();
    const versions = body.changes.map((c) => [c.ticket.version, c.ticket.state, c.ticket.alarmCount]);
    expect(versions).toEqual([
      [1, 'open', t.alarmCount],
      [2, 'open', 99],
      [5, 'open', 99],
      [6, 'completed', 99],
    ]);
    expect(body.changes[3]?.ticket.completedAt).toMatch(/Z$/);
  });

  it('when limit is outside 1..1000 or not a number, then 400 and a bad-request violation', async () => {
    for (const limit of ['0', '1001', 'ten']) expect((await poll(`?limit=${limit}`)).status).toBe(400);
    expect(wm.violations().map((v) => v.kind)).toEqual(['bad-request', 'bad-request', 'bad-request']);
  });

  it('when limit is 1000 and the feed is read correctly, then no violation is recorded', async () => {
    wm.createTicket();
    const res = await poll('?limit=1000');
    await poll(`?after=${res.body.cursor ?? ''}&limit=1`);
    expect(wm.violations()).toEqual([]);
  });

  it('when the cursor is unknown or not a seq, then 410', async () => {
    wm.createTicket();
    expect((await poll(`?after=${wm.lastSeq() + 5}`)).status).toBe(410);
    expect((await poll('?after=abc')).status).toBe(410);
  });

  it('when retention dropped changes right after the cursor, then 410, and the oldest retained answers again', async () => {
    const first = wm.createTicket();
    const cursor = String(wm.lastSeq());
    wm.createTicket();
    wm.createTicket();
    wm.dropChangesThrough(wm.lastSeq() - 1);
    expect((await poll(`?after=${cursor}`)).status).toBe(410);
    const restart = await poll();
    expect(restart.body.changes).toHaveLength(1);
    expect(restart.body.changes[0]?.ticket.id).not.toBe(first.id);
  });

  it('when retention keeps a maximum, then the oldest changes go and a cursor at the edge still works', async () => {
    wm.setMaxRetainedChanges(2);
    for (let i = 0; i < 4; i++) wm.createTicket();
    expect(wm.changes().map((e) => e.seq)).toEqual([wm.lastSeq() - 1, wm.lastSeq()]);
    expect((await poll(`?after=${wm.lastSeq() - 2}`)).body.changes).toHaveLength(2);
    expect((await poll(`?after=${wm.lastSeq() - 3}`)).status).toBe(410);
    wm.setMaxRetainedChanges(1000);
  });

  it('when a replay is asked, then the next poll serves the changes again whatever its cursor', async () => {
    wm.createTicket();
    const fromSeq = wm.lastSeq();
    wm.createTicket();
    const read = await poll();
    wm.replayFrom(fromSeq);
    const again = await poll(`?after=${read.body.cursor ?? ''}`);
    expect(again.body.changes.map((c) => c.seq)).toEqual([fromSeq, fromSeq + 1]);
    expect((await poll(`?after=${again.body.cursor ?? ''}`)).body.changes).toEqual([]);
  });

  it('when raw changes are pushed, then they are served as given (seq added to objects without one)', async () => {
    const a = wm.pushRaw({ platforms: ['cherwell'], ticket: { id: 'WM-BAD' } });
    wm.pushRaw({ seq: 'not-a-number', platforms: [] });
    wm.pushRaw(['not', 'an', 'object']);
    const { body } = await call<{ changes: unknown[]; cursor: string }>(`${wm.url}/tickets/changes`);
    expect(body.changes).toEqual([
      { seq: a, platforms: ['cherwell'], ticket: { id: 'WM-BAD' } },
      { seq: 'not-a-number', platforms: [] },
      ['not', 'an', 'object'],
    ]);
    expect(body.cursor).toBe(String(a + 2));
  });

  it('when reset, then the feed empties but seqs keep growing so old cursors stay valid', async () => {
    wm.createTicket();
    const cursor = String(wm.lastSeq());
    wm.reset();
    const t = wm.createTicket();
    const res = await poll(`?after=${cursor}`);
    expect(res.body.changes.map((c) => c.ticket.id)).toEqual([t.id]);
  });

  it('when the path lacks the device address, then 404 and a bad-request violation', async () => {
    const res = await call(`${wm.origin}/tickets/changes`);
    expect(res.status).toBe(404);
    expect(wm.violations()[0]?.kind).toBe('bad-request');
  });

  it('when requests are made, then each is recorded with path, query, status and times', async () => {
    await poll('?limit=5');
    const [recorded] = wm.requests;
    expect(recorded).toMatchObject({
      method: 'GET',
      path: '/tickets/changes',
      query: { limit: '5' },
      status: 200,
    });
    expect(recorded?.endedAt).toBeGreaterThanOrEqual(recorded?.startedAt ?? Infinity);
  });
});

describe('WM feed with options', () => {
  it('when a token is configured, then calls without it get 401 and an invalid-token violation', async () => {
    const sim = await startWmSimulator({ token: 's3cret', maxPageSize: 1 });
    try {
      expect((await call(`${sim.url}/tickets/changes`)).status).toBe(401);
      expect((await call(`${sim.url}/tickets/changes`, { headers: bearer('wrong') })).status).toBe(401);
      expect(sim.violations().map((v) => v.kind)).toEqual(['invalid-token', 'invalid-token']);
      sim.createTicket();
      sim.createTicket();
      const ok = await call<Page>(`${sim.url}/tickets/changes?limit=10`, { headers: bearer('s3cret') });
      expect(ok.status).toBe(200);
      // maxPageSize: the server may return fewer than asked.
      expect(ok.body.changes).toHaveLength(1);
      expect(ok.body.hasMore).toBe(true);
    } finally {
      await sim.close();
    }
  });
});

describe('WM feed, waiting for changes (long polling)', () => {
  it('when a poll asks to wait on an empty feed and a change comes, then it is answered with that change at once', async () => {
    const first = wm.createTicket();
    const head = await poll();
    const startedAt = Date.now();
    const held = poll(`?after=${head.body.cursor ?? ''}&wait=10`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = wm.createTicket();
    const res = await held;
    expect(res.status).toBe(200);
    expect(res.body.changes.map((c) => c.ticket.id)).toEqual([second.id]);
    expect(Date.now() - startedAt).toBeLessThan(5000);
    expect(first.id).not.toBe(second.id);
  });

  it('when nothing comes within wait, then the empty page is answered after about wait seconds', async () => {
    const startedAt = Date.now();
    const res = await poll('?wait=1');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ changes: [], hasMore: false });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(950);
  });

  it('when changes are already there, then wait changes nothing: the page comes at once', async () => {
    wm.createTicket();
    const startedAt = Date.now();
    const res = await poll('?wait=30');
    expect(res.body.changes).toHaveLength(1);
    expect(Date.now() - startedAt).toBeLessThan(1000);
  });

  it('when wait is outside 1..30, then 400 and a bad-request violation', async () => {
    expect((await poll('?wait=31')).status).toBe(400);
    expect((await poll('?wait=0')).status).toBe(400);
    expect(wm.violations().map((v) => v.kind)).toEqual(['bad-request', 'bad-request']);
  });

  it('when WM is set not to know wait, then 400 {"error":"unknown parameter: wait"}', async () => {
    wm.setLongPoll('reject');
    const res = await poll('?wait=5');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'unknown parameter: wait' });
    expect(wm.violations()).toEqual([]);
  });

  it('when WM is set to ignore wait (over /_sim/), then the empty page comes at once', async () => {
    const set = await call(`${wm.origin}/_sim/long-poll`, { method: 'POST', json: { mode: 'ignore' } });
    expect(set.body).toEqual({ mode: 'ignore' });
    const startedAt = Date.now();
    const res = await poll('?wait=5');
    expect(res.body).toEqual({ changes: [], hasMore: false });
    expect(Date.now() - startedAt).toBeLessThan(1000);
  });
});
