import type { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Keys } from '../keys.ts';

/**
 * The processing switch is BullMQ's own pause flag on each platform queue (global, in Redis),
 * so the admin API, the CLI and Bull Board's pause buttons are one mechanism. TICKET_PROCESSING
 * gives the starting value once, the first time any role starts against this Redis; after that
 * the flag in Redis is the truth and survives restarts.
 */
export async function initialiseProcessing(
  redis: Redis | Cluster,
  keys: Keys,
  platformQueues: readonly Queue[],
  enabled: boolean,
): Promise<boolean> {
  const first = await redis.set(keys.processingInitialised(), enabled ? 'enabled' : 'disabled', 'NX');
  if (first !== 'OK') return false;
  await Promise.all(platformQueues.map((queue) => (enabled ? queue.resume() : queue.pause())));
  return true;
}
