import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { CommandError } from '../errors.ts';
import { pickDemoRedis } from './redis.ts';
import { redisAnswers } from './redis-probe.ts';

const hasRedisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
const standalone = (url: string) => ({ kind: 'standalone' as const, url });

describe('the demo picks its Redis', () => {
  test('when REDIS_URL is set, then it is used as it is, nothing is started, and it is not the demo’s own', async () => {
    const redis = await pickDemoRedis(
      { REDIS_URL: 'redis://:secret@10.0.0.9:6390' },
      standalone('redis://:secret@10.0.0.9:6390'),
    );
    expect(redis.url).toBe('redis://:secret@10.0.0.9:6390');
    expect(redis.own).toBe(false);
    expect(redis.description).toBe('redis://:redacted@10.0.0.9:6390 (yours, from REDIS_URL)');
  });

  test.runIf(hasRedisServer)(
    'when REDIS_URL is not set, then a redis-server of its own runs on a free port until stopped, whatever answers on 6379',
    async () => {
      const redis = await pickDemoRedis({}, standalone('redis://127.0.0.1:6379'));
      try {
        expect(redis.own).toBe(true);
        expect(redis.description).toMatch(/redis-server started for the demo, stopped with it/);
        const port = Number(new URL(redis.url ?? '').port);
        expect(port).not.toBe(6379);
        expect(await redisAnswers('127.0.0.1', port)).toBe(true);
        await redis.stop();
        expect(await redisAnswers('127.0.0.1', port)).toBe(false);
      } finally {
        await redis.stop();
      }
    },
  );

  test('when there is no redis-server and no Docker, then the failure says how to get one', async () => {
    const path = process.env.PATH;
    // A PATH without redis-server (spawn looks it up in the parent's environment).
    process.env.PATH = '/nonexistent';
    try {
      const failure = await pickDemoRedis(
        {},
        standalone('redis://127.0.0.1:6379'),
        '/nonexistent/docker',
      ).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(CommandError);
      expect((failure as Error).message).toMatch(
        /redis-server is not on PATH and Docker is not available; install Redis .*or set REDIS_URL/,
      );
    } finally {
      process.env.PATH = path;
    }
  });
});
