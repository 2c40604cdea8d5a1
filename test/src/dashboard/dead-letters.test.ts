import { afterEach, describe, expect, test } from 'vitest';
import { waitFor } from '../index.ts';
import {
  deadLetter,
  startDashboardHarness,
  type DashboardHarness,
  type DeadLetterItem,
  type Page,
  type Status,
  type TicketBody,
} from './harness.ts';

type DeadPage = Page<DeadLetterItem>;
const ids = (page: DeadPage): string[] => page.items.map((item) => item.id);

let h: DashboardHarness;
afterEach(async () => {
  await h.close();
});

/** Parks dead letters through the worker role's dead-letter worker, as in production. */
async function parked(tickets: string[], platform: 'cherwell' | 'sfyc' = 'cherwell'): Promise<string[]> {
  h.startDeadLetterWorker(platform);
  const ids: string[] = [];
  for (const ticketId of tickets) ids.push(await h.park(deadLetter(ticketId, platform)));
  const queue = h.queue(`${platform}-dead`);
  await waitFor(async () => (await queue.getFailedCount()) === tickets.length, {
    what: 'dead letters parked',
  });
  return ids;
}

describe('admin API: dead letters', () => {
  test('when dead letters are listed, then each shows its operation, errors and attempts, newest first', async () => {
    h = await startDashboardHarness();
    const [id] = await parked(['WM-1']);
    const { status, body } = await h.api<DeadPage>('GET', '/api/dead-letters/cherwell');
    expect(status).toBe(200);
    expect(body.next).toBeNull();
    expect(body.items).toEqual([
      {
        id,
        ticketId: 'WM-1',
        platform: 'cherwell',
        operation: 'create',
        version: 3,
        attempts: 4,
        lastError: { code: 'HTTP_503', message: 'Service Unavailable' },
        errors: expect.arrayContaining([
          expect.objectContaining({ attempt: 1, code: 'HTTP_503' }),
        ]) as unknown,
        deadAt: expect.any(String) as string,
        status: 'parked',
      },
    ]);
    expect((await h.api<DeadPage>('GET', '/api/dead-letters/sfyc')).body).toEqual({ items: [], next: null });
  });

  test('when dead letters span pages, then `next` walks them all once, even while listed ones are retried', async () => {
    h = await startDashboardHarness();
    const all = await parked(['WM-1', 'WM-2', 'WM-3', 'WM-4', 'WM-5']);
    const first = await h.api<DeadPage>('GET', '/api/dead-letters/cherwell?limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.next).toEqual(expect.any(String));
    // Retrying what the first page showed must not make the second page skip anything.
    await h.api('POST', '/api/dead-letters/cherwell/retry', { ids: ids(first.body) });
    const second = await h.api<DeadPage>(
      'GET',
      `/api/dead-letters/cherwell?limit=2&cursor=${first.body.next ?? ''}`,
    );
    const third = await h.api<DeadPage>(
      'GET',
      `/api/dead-letters/cherwell?limit=2&cursor=${second.body.next ?? ''}`,
    );
    expect(third.body.next).toBeNull();
    const seen = [first.body, second.body, third.body].flatMap(ids);
    expect(seen.sort()).toEqual([...all].sort());
  });

  test('when a dead letter was retried from the board and waits for the worker, then it is listed as retrying', async () => {
    h = await startDashboardHarness();
    const worker = h.startDeadLetterWorker('cherwell');
    const id = await h.park(deadLetter('WM-1'));
    await waitFor(async () => (await h.queue('cherwell-dead').getJobState(id)) === 'failed', {
      what: 'parked',
    });
    await worker.close();
    await (await h.queue('cherwell-dead').getJob(id))?.retry('failed');
    const listed = await h.api<DeadPage>('GET', '/api/dead-letters/cherwell');
    expect(listed.body.items).toEqual([expect.objectContaining({ id, status: 'retrying' })]);
    expect((await h.api<Status>('GET', '/api/status')).body.platforms.cherwell.counts.dead).toBe(1);
  });

  test('when a dead letter is retried by id, then a new platform job exists, the dead letter is gone and the ticket is queued', async () => {
    h = await startDashboardHarness();
    const [id, other] = await parked(['WM-1', 'WM-2']);
    const answer = await h.api('POST', '/api/dead-letters/cherwell/retry', { ids: [id] });
    expect(answer).toMatchObject({ status: 200, body: { retried: 1 } });

    const jobs = await h.queue('cherwell').getJobs(['waiting']);
    expect(jobs.map((job) => job.data as unknown)).toEqual([{ ticketId: 'WM-1' }]);
    expect(await h.queue('cherwell-dead').getJob(id ?? '')).toBeUndefined();
    expect(await h.queue('cherwell-dead').getJob(other ?? '')).toBeDefined();
    const ticket = await h.api<TicketBody>('GET', '/api/tickets/WM-1');
    expect(ticket.body.platforms.cherwell?.state).toBe('queued');
    // The version the dead operation was on (deadLetter() says 3), not a bogus null.
    expect(ticket.body.platforms.cherwell?.history[0]).toMatchObject({
      event: 'retried',
      version: 3,
      detail: 'create with a fresh budget',
    });
    const listed = await h.api<DeadPage>('GET', '/api/dead-letters/cherwell');
    expect(listed.body.items.map((item) => item.ticketId)).toEqual(['WM-2']);
  });

  test('when all dead letters are retried, then every ticket is queued again and the listing is empty', async () => {
    h = await startDashboardHarness();
    await parked(['WM-1', 'WM-2', 'WM-3'], 'sfyc');
    const answer = await h.api<{ retried: number }>('POST', '/api/dead-letters/sfyc/retry', { all: true });
    expect(answer.body).toEqual({ retried: 3 });
    expect(await h.queue('sfyc').getWaitingCount()).toBe(3);
    expect((await h.api<DeadPage>('GET', '/api/dead-letters/sfyc')).body.items).toEqual([]);
    expect((await h.api<Status>('GET', '/api/status')).body.platforms.sfyc.counts.dead).toBe(0);
  });

  test('when a retry names an unknown id or is malformed, then it answers 404 or 400 and retries nothing', async () => {
    h = await startDashboardHarness();
    const [id] = await parked(['WM-1']);
    const unknown = await h.api('POST', '/api/dead-letters/cherwell/retry', { ids: [id, 'no-such-id'] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('no-such-id');
    expect(await h.queue('cherwell').getWaitingCount()).toBe(0);
    expect(await h.queue('cherwell-dead').getJob(id ?? '')).toBeDefined();

    for (const body of [{}, { ids: [] }, { ids: [id], all: true }, { all: false }, { ids: 'x' }]) {
      const answer = await h.api('POST', '/api/dead-letters/cherwell/retry', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.fields?.length, JSON.stringify(body)).toBeGreaterThan(0);
    }
    expect((await h.api('POST', '/api/dead-letters/jira/retry', { all: true })).status).toBe(404);
    expect((await h.api<DeadPage>('GET', '/api/dead-letters/jira')).status).toBe(404);
    expect((await h.api<DeadPage>('GET', '/api/dead-letters/cherwell?limit=0')).status).toBe(400);
    expect((await h.api<DeadPage>('GET', '/api/dead-letters/cherwell?cursor=garbage')).status).toBe(400);
  });

  test('when a dead letter is discarded, then it answers 204, the letter is gone and the ticket stays error', async () => {
    h = await startDashboardHarness();
    const [id] = await parked(['WM:7']);
    const answer = await h.api('DELETE', `/api/dead-letters/cherwell/${encodeURIComponent(id ?? '')}`);
    expect(answer.status).toBe(204);
    expect(answer.body).toBeUndefined();
    expect(await h.queue('cherwell-dead').getJob(id ?? '')).toBeUndefined();
    const ticket = await h.api<TicketBody>('GET', `/api/tickets/${encodeURIComponent('WM:7')}`);
    expect(ticket.body.platforms.cherwell?.state).toBe('error');
    expect(ticket.body.platforms.cherwell?.history[0]).toMatchObject({ event: 'discarded' });
    expect(await h.queue('cherwell').getWaitingCount()).toBe(0);

    expect((await h.api('DELETE', `/api/dead-letters/cherwell/${encodeURIComponent(id ?? '')}`)).status).toBe(
      404,
    );
    expect((await h.api('DELETE', '/api/dead-letters/jira/x')).status).toBe(404);
  });
});

describe('admin API: dead-letter ids', () => {
  test("when an id names one of BullMQ's own keys (meta), then discard and retry answer 404 and the queue is untouched", async () => {
    h = await startDashboardHarness();
    await parked(['WM-1'], 'sfyc');
    const meta = h.queue('sfyc-dead').keys.meta ?? 'no meta key';
    expect(await h.redis.exists(meta)).toBe(1);
    expect((await h.api('DELETE', '/api/dead-letters/sfyc/meta')).status).toBe(404);
    expect((await h.api('DELETE', '/api/dead-letters/sfyc/events')).status).toBe(404);
    const retry = await h.api('POST', '/api/dead-letters/sfyc/retry', { ids: ['meta'] });
    expect(retry.status).toBe(404);
    expect(await h.redis.exists(meta)).toBe(1);
    expect(await h.queue('sfyc-dead').getFailedCount()).toBe(1);
  });

  test('when a WM ticket id is named instead of its dead-letter id, then it names that dead letter', async () => {
    h = await startDashboardHarness();
    await parked(['WM-1', 'WM-2']);
    expect((await h.api('DELETE', '/api/dead-letters/cherwell/WM-1')).status).toBe(204);
    const retry = await h.api<{ retried: number }>('POST', '/api/dead-letters/cherwell/retry', {
      ids: ['WM-2'],
    });
    expect(retry.body).toEqual({ retried: 1 });
    expect(await h.queue('cherwell-dead').getFailedCount()).toBe(0);
  });
});
