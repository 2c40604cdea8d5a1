import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { CommandError } from '../errors.ts';
import { pickDemoRedis } from './redis.ts';
import { freePort, redisAnswers } from './redis-probe.ts';

const hasRedisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
const standalone = (url: string) => ({ kind: 'standalone' as const, url });

describe('the demo picks its Redis', () => {
  test('when REDIS_URL is set, then it is used as it is and nothing is started', async () => {
    const redis = await pickDemoRedis(
      { REDIS_URL: 'redis://:secret@10.0.0.9:6390' },
      standalone('redis://:secret@10.0.0.9:6390'),
    );
    expect(redis.url).toBe('redis://:secret@10.0.0.9:6390');
    expect(redis.description).toBe('redis://:redacted@10.0.0.9:6390 (as configured)');
  });

  test.runIf(hasRedisServer)(
    'when nothing answers on the default port, then a redis-server of its own runs until stopped',
    async () => {
      const silent = await freePort();
      const redis = await pickDemoRedis({}, standalone('redis://127.0.0.1:6379'), silent);
      try {
        expect(redis.description).toMatch(/started for the demo, stopped with it/);
        const port = Number(new URL(redis.url ?? '').port);
        expect(port).not.toBe(silent);
        expect(await redisAnswers('127.0.0.1', port)).toBe(true);
        await redis.stop();
        expect(await redisAnswers('127.0.0.1', port)).toBe(false);
      } finally {
        await redis.stop();
      }
    },
  );

  test.runIf(hasRedisServer)(
    'when a Redis answers on the default port, then it is used and left running',
    async () => {
      const own = await pickDemoRedis({}, standalone('redis://127.0.0.1:6379'), await freePort());
      try {
        const port = Number(new URL(own.url ?? '').port);
        const found = await pickDemoRedis({}, standalone('redis://127.0.0.1:6379'), port);
        expect(found).toMatchObject({
          url: `redis://127.0.0.1:${port}`,
          description: `redis://127.0.0.1:${port} (already running)`,
        });
        await found.stop();
        expect(await redisAnswers('127.0.0.1', port)).toBe(true);
      } finally {
        await own.stop();
      }
    },
  );

  test('when there is no Redis and no redis-server, then the failure says how to get one', async () => {
    const path = process.env.PATH;
    // A PATH without redis-server (spawn looks it up in the parent's environment).
    process.env.PATH = '/nonexistent';
    try {
      const failure = await pickDemoRedis({}, standalone('redis://127.0.0.1:6379'), await freePort()).catch(
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(CommandError);
      expect((failure as Error).message).toMatch(
        /redis-server is not on PATH; install Redis .*docker run .*or set REDIS_URL/,
      );
    } finally {
      process.env.PATH = path;
    }
  });
});
