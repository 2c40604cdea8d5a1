import { describe, expect, test } from 'vitest';
import { boardVerdict } from './policy.ts';

const put = (route: string, params: Record<string, string> = {}) => ({ method: 'put', route, params });

describe('Bull Board policy', () => {
  test('when anything is read, then it is allowed on every queue', () => {
    expect(boardVerdict({ method: 'get', route: '/api/queues', params: {} }, undefined).allow).toBe(true);
  });

  test('when a queue is paused one by one, then only platform queues may be', () => {
    const pause = put('/api/queues/:queueName/pause', { queueName: 'x' });
    expect(boardVerdict(pause, 'platform').allow).toBe(true);
    expect(boardVerdict(pause, 'dead-letter')).toMatchObject({ allow: false, status: 409 });
    expect(boardVerdict(pause, 'wm-status')).toMatchObject({ allow: false, status: 409 });
  });

  test('when a dead letter is retried or removed, then it is allowed unless it is being redriven', () => {
    expect(boardVerdict(put('/api/queues/:queueName/:jobId/retry'), 'dead-letter').allow).toBe(true);
    expect(
      boardVerdict(put('/api/queues/:queueName/retry/:queueStatus', { queueStatus: 'failed' }), 'dead-letter')
        .allow,
    ).toBe(true);
    expect(boardVerdict(put('/api/queues/:queueName/:jobId/clean'), 'dead-letter', 'failed').allow).toBe(
      true,
    );
    expect(boardVerdict(put('/api/queues/:queueName/:jobId/clean'), 'dead-letter', 'active').allow).toBe(
      false,
    );
  });

  test('when a waiting ticket job would be removed or cleaned, then it is refused', () => {
    expect(boardVerdict(put('/api/queues/:queueName/:jobId/clean'), 'platform', 'waiting').allow).toBe(false);
    expect(boardVerdict(put('/api/queues/:queueName/:jobId/clean'), 'platform', 'failed').allow).toBe(true);
    expect(
      boardVerdict(put('/api/queues/:queueName/clean/:queueStatus', { queueStatus: 'wait' }), 'platform')
        .allow,
    ).toBe(false);
    expect(
      boardVerdict(put('/api/queues/:queueName/clean/:queueStatus', { queueStatus: 'failed' }), 'platform')
        .allow,
    ).toBe(true);
  });

  test('when a job would be added, edited, or a queue emptied or obliterated, then it is refused', () => {
    for (const route of [
      '/api/queues/:queueName/add',
      '/api/queues/:queueName/empty',
      '/api/queues/:queueName/obliterate',
      '/api/queues/:queueName/:jobId/update-data',
      '/api/queues/:queueName/concurrency',
    ]) {
      expect(
        boardVerdict(
          { method: route.endsWith('update-data') ? 'patch' : 'put', route, params: {} },
          'platform',
        ),
      ).toMatchObject({
        allow: false,
        status: 405,
      });
    }
  });
});
