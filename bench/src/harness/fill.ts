import { createKeys, createLogger, createRedis, loadConfig, type Platform } from '@tbe/shared';
import { Registry, startProducer } from '@tbe/producers';
import type { WmSimulator, WmTicket } from '@tbe/simulators';
import type { Redis } from 'ioredis';
import { sleep, waitFor } from '../measure/wait.ts';
import { pushChanges } from './tickets.ts';

export interface FeedOptions {
  wm: WmSimulator;
  /** A connection to read the producer's cursor with. */
  redis: Redis;
  prefix: string;
  platform: Platform;
  total: number;
  make: (index: number) => WmTicket;
  /** Changes appended at a time; at most two chunks are held by the WM simulator. */
  chunk?: number;
  timeoutMs: number;
  onProgress?: (queued: number) => void;
}

/**
 * Feeds `total` changes to the WM simulator while a producer (in this process or another)
 * takes them, keeping the feed two chunks ahead of its cursor and dropping what it took, so
 * that a million tickets never sit in this process at once. Resolves once the producer's
 * cursor names the last change: every job exists.
 */
export async function feedThroughProducer(options: FeedOptions): Promise<void> {
  const { wm, redis, platform, total, make } = options;
  const chunk = options.chunk ?? 10_000;
  const cursorKey = createKeys(options.prefix).producer('cursor');
  const deadline = Date.now() + options.timeoutMs;
  const ends: number[] = [];
  let made = 0;
  const pushChunk = (): void => {
    const tickets: WmTicket[] = [];
    for (; tickets.length < chunk && made < total; made++) tickets.push(make(made));
    if (tickets.length > 0) ends.push(pushChanges(wm, platform, tickets));
  };
  pushChunk();
  pushChunk();
  while (ends.length > 0) {
    const end = ends[0]!;
    for (;;) {
      const cursor = Number((await redis.get(cursorKey)) ?? 0);
      if (cursor >= end) break;
      if (Date.now() > deadline)
        throw new Error(`the producer took ${cursor} of ${total} changes in ${options.timeoutMs} ms`);
      await sleep(20);
    }
    ends.shift();
    wm.dropChangesThrough(end);
    options.onProgress?.(Math.min(made, total));
    pushChunk();
  }
}

/** The producer in this process (the fill of a backlog is not what is measured, or is measured as a whole). */
export function startLocalProducer(env: Record<string, string>): { stop(): Promise<void> } {
  const config = loadConfig(env, 'producer');
  const redis = createRedis(config.redis, 'producer', 'bench-producer');
  redis.on('error', () => undefined);
  const producer = startProducer({
    config,
    redis,
    logger: createLogger({ level: 'silent', role: 'producer' }),
    registry: new Registry(),
  });
  return {
    async stop() {
      await producer.stop();
      redis.disconnect();
    },
  };
}

/** Waits until the cursor names the WM simulator's newest change. */
export async function caughtUp(
  redis: Redis,
  prefix: string,
  wm: WmSimulator,
  timeoutMs: number,
): Promise<void> {
  const key = createKeys(prefix).producer('cursor');
  const last = wm.lastSeq();
  await waitFor(
    async () => Number((await redis.get(key)) ?? 0) >= last,
    `the producer's cursor at ${last}`,
    timeoutMs,
  );
}
