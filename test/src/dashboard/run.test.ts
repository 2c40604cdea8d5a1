import { describe, expect, test } from 'vitest';
import { ConfigError } from '@tbe/shared';
import { runDashboard } from '@tbe/dashboard';
import { deletePrefix, testRedis, testRedisUrl, uniquePrefix } from '../index.ts';
import { TOKEN } from './harness.ts';

describe('dashboard role process', () => {
  test('when ADMIN_TOKEN is missing, then the dashboard refuses to start and says so', async () => {
    const started = runDashboard({ REDIS_URL: testRedisUrl(), HTTP_PORT: '0' }, { handleSignals: false });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toMatchObject({
      problems: ['ADMIN_TOKEN: required by the dashboard role'],
    });
  });

  test('when the role runs, then Bull Board, the API, health and metrics answer on one port until it stops', async () => {
    const prefix = uniquePrefix('dash-run');
    const env = {
      REDIS_URL: testRedisUrl(),
      HTTP_PORT: '0',
      QUEUE_PREFIX: prefix,
      ADMIN_TOKEN: TOKEN,
      LOG_LEVEL: 'silent',
    };
    const running = await runDashboard(env, { handleSignals: false });
    const url = `http://127.0.0.1:${running.port}`;
    try {
      const bearer = { authorization: `Bearer ${TOKEN}` };
      expect((await fetch(`${url}/api/status`, { headers: bearer })).status).toBe(200);
      expect((await fetch(`${url}/admin/queues/api/queues`, { headers: bearer })).status).toBe(200);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${url}/metrics`)).text()).toContain('tbe_queue_jobs');
    } finally {
      await running.stop();
      const redis = testRedis();
      await deletePrefix(redis, prefix);
      redis.disconnect();
    }
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
