import { randomUUID } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { inject } from 'vitest';

/** The Redis URL the global setup picked for this run. */
export function testRedisUrl(): string {
  return inject('redisUrl');
}

/** A QUEUE_PREFIX of its own for one test: tests share a Redis and never see each other's keys. */
export function uniquePrefix(label = 't'): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

/** A plain connection for assertions; closed by the returned function. */
export function testRedis(url = testRedisUrl()): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

/** Deletes every key under a prefix (SCAN, never KEYS; on a Cluster, on every master). */
export async function deletePrefix(redis: Redis | Cluster, prefix: string): Promise<void> {
  if (redis instanceof Cluster) {
    await Promise.all(redis.nodes('master').map((node) => deletePrefix(node, prefix)));
    return;
  }
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    // One UNLINK per key: on a Cluster node, keys of different slots cannot go in one command.
    if (keys.length > 0) {
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.unlink(key);
      await pipeline.exec();
    }
  } while (cursor !== '0');
}
