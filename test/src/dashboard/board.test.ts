import { afterEach, describe, expect, test } from 'vitest';
import { ticketJobId } from '@tbe/shared';
import { waitFor } from '../index.ts';
import {
  basic,
  deadLetter,
  startDashboardHarness,
  TOKEN,
  type DashboardHarness,
  type Status,
} from './harness.ts';

let h: DashboardHarness;
afterEach(async () => {
  await h.close();
});

const BOARD_API = '/admin/queues/api/queues';

/** A request of Bull Board's own page (same origin), with basic auth. */
function board(method: string, path: string): Promise<Response> {
  return fetch(`${h.url}${BOARD_API}${path}`, {
    method,
    headers: { authorization: basic(TOKEN), 'sec-fetch-site': 'same-origin' },
  });
}

interface BoardQueue {
  name: string;
  description: string;
  isPaused: boolean;
}

describe('Bull Board', () => {
  test('when the board lists its queues, then every queue of the catalogue is there with its description', async () => {
    h = await startDashboardHarness();
    const answer = (await (await board('GET', '')).json()) as { queues: BoardQueue[] };
    const names = answer.queues.map((queue) => queue.name).sort();
    expect(names).toEqual(['cherwell', 'cherwell-dead', 'sfyc', 'sfyc-dead', 'wm-status']);
    expect(answer.queues.find((queue) => queue.name === 'cherwell-dead')?.description).toContain(
      'Retry sends the ticket again',
    );
  });

  test("when a platform queue's pause and resume buttons are used, then they are the processing switch", async () => {
    h = await startDashboardHarness();
    expect((await board('PUT', '/cherwell/pause')).status).toBe(200);
    expect(await h.queue('cherwell').isPaused()).toBe(true);
    expect((await h.api<Status>('GET', '/api/status')).body.platforms.cherwell.processing).toBe('disabled');
    expect((await board('PUT', '/cherwell/resume')).status).toBe(200);
    expect(await h.queue('cherwell').isPaused()).toBe(false);
  });

  test('when a dead-letter or WM status queue would be paused, then the board refuses and pause-all leaves them running', async () => {
    h = await startDashboardHarness();
    const refused = await board('PUT', '/cherwell-dead/pause');
    expect(refused.status).toBe(409);
    expect((await board('PUT', '/wm-status/pause')).status).toBe(409);
    expect(await h.queue('cherwell-dead').isPaused()).toBe(false);

    expect((await board('PUT', '/pause')).status).toBe(200);
    expect(await h.queue('cherwell').isPaused()).toBe(true);
    expect(await h.queue('sfyc').isPaused()).toBe(true);
    expect(await h.queue('cherwell-dead').isPaused()).toBe(false);
    expect(await h.queue('sfyc-dead').isPaused()).toBe(false);
    expect(await h.queue('wm-status').isPaused()).toBe(false);
    expect((await board('PUT', '/resume')).status).toBe(200);
    expect(await h.queue('sfyc').isPaused()).toBe(false);
  });

  test('when a dead-letter queue was paused behind our back, then the dashboard resumes it', async () => {
    h = await startDashboardHarness({}, { retention: { everyMs: 50 } });
    await h.queue('sfyc-dead').pause();
    await waitFor(async () => !(await h.queue('sfyc-dead').isPaused()), {
      what: 'dead-letter queue resumed',
    });
  });

  test('when harmful actions are tried, then they are refused and nothing changes', async () => {
    h = await startDashboardHarness();
    await h.queue('cherwell').add('ticket', { ticketId: 'WM-1' }, { jobId: 'job-1' });
    expect((await board('PUT', '/cherwell/obliterate')).status).toBe(405);
    expect((await board('PUT', '/cherwell/empty')).status).toBe(405);
    expect((await board('PUT', '/cherwell/clean/wait')).status).toBe(409);
    expect((await board('PUT', '/cherwell/job-1/clean')).status).toBe(409);
    const add = await fetch(`${h.url}${BOARD_API}/cherwell/add`, {
      method: 'POST',
      headers: {
        authorization: basic(TOKEN),
        'content-type': 'application/json',
        'sec-fetch-site': 'same-origin',
      },
      body: JSON.stringify({ name: 'ticket', data: { ticketId: 'x' } }),
    });
    expect(add.status).toBe(405);
    expect(await h.queue('cherwell').getWaitingCount()).toBe(1);
  });

  test("when a dead letter's Retry is pressed, then the dead-letter worker sends the ticket again with a fresh budget", async () => {
    h = await startDashboardHarness();
    h.startDeadLetterWorker('cherwell');
    const id = await h.park(deadLetter('WM:1'));
    await waitFor(async () => (await h.queue('cherwell-dead').getJobState(id)) === 'failed', {
      what: 'dead letter parked',
    });

    const retry = await board('PUT', `/cherwell-dead/${encodeURIComponent(id)}/retry`);
    expect(retry.status).toBe(204);

    await waitFor(async () => (await h.queue('cherwell-dead').getJob(id)) === undefined, {
      what: 'dead letter gone',
    });
    const jobs = await h.queue('cherwell').getJobs(['waiting']);
    expect(jobs.map((job) => job.data as unknown)).toEqual([{ ticketId: 'WM:1' }]);
    expect(jobs[0]?.attemptsMade).toBe(0);
    expect(await h.redis.hget(h.keys.state('cherwell', 'WM:1'), 'state')).toBe('queued');
    expect(id).toBe(ticketJobId('WM:1'));
  });

  test('when Retry all is pressed on the dead letters, then every parked ticket is sent again', async () => {
    h = await startDashboardHarness();
    h.startDeadLetterWorker('sfyc');
    const ids = await Promise.all(['A', 'B', 'C'].map((id) => h.park(deadLetter(`WM-${id}`, 'sfyc'))));
    await waitFor(async () => (await h.queue('sfyc-dead').getFailedCount()) === ids.length, {
      what: 'parked',
    });

    expect((await board('PUT', '/sfyc-dead/retry/failed')).status).toBe(200);

    await waitFor(
      async () => (await h.queue('sfyc-dead').getJobCountByTypes('failed', 'waiting', 'active')) === 0,
      { what: 'all redriven' },
    );
    expect(await h.queue('sfyc').getWaitingCount()).toBe(3);
  });

  test('when a parked dead letter is removed from the board, then it is gone and the ticket stays error', async () => {
    h = await startDashboardHarness();
    h.startDeadLetterWorker('cherwell');
    const id = await h.park(deadLetter('WM-5'));
    await waitFor(async () => (await h.queue('cherwell-dead').getJobState(id)) === 'failed', {
      what: 'parked',
    });
    expect((await board('PUT', `/cherwell-dead/${id}/clean`)).status).toBe(204);
    expect(await h.queue('cherwell-dead').getJob(id)).toBeUndefined();
    expect(await h.redis.hget(h.keys.state('cherwell', 'WM-5'), 'state')).toBe('error');
  });

  test("when the board is asked to clean or show BullMQ's own keys as jobs (meta), then it answers 404 and the keys stay", async () => {
    h = await startDashboardHarness();
    h.startDeadLetterWorker('sfyc');
    const id = await h.park(deadLetter('WM-6', 'sfyc'));
    await waitFor(async () => (await h.queue('sfyc-dead').getJobState(id)) === 'failed', { what: 'parked' });
    const meta = h.queue('sfyc-dead').keys.meta ?? 'no meta key';
    expect(await h.redis.exists(meta)).toBe(1);
    expect((await board('PUT', '/sfyc-dead/meta/clean')).status).toBe(404);
    expect((await board('PUT', '/sfyc-dead/meta/retry')).status).toBe(404);
    expect((await board('PUT', '/sfyc/meta/clean')).status).toBe(404);
    expect(await h.redis.exists(meta)).toBe(1);
    expect(await h.queue('sfyc-dead').getJobState(id)).toBe('failed');
  });
});
