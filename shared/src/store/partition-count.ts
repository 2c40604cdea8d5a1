import { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Keys } from '../keys.ts';
import { partsOf } from '../partitions.ts';
import { PLATFORMS } from '../platforms.ts';

type Client = Redis | Cluster;

/** A role was started with a QUEUE_PARTITIONS other than the one the queues hold tickets under. */
export class PartitionCountError extends Error {}

const UNFINISHED = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

/**
 * Every role checks QUEUE_PARTITIONS against the count recorded in Redis when it starts
 * (docs/decisions.md, "Partitions"): the same count goes on. Only the producer (`mayChange`),
 * the one role that adds tickets, records another count, and only while no platform queue of
 * the recorded count holds an unfinished job; otherwise the role refuses to start. No record
 * means a relay from before partitions: one partition.
 */
export async function ensurePartitionCount(
  redis: Client,
  connection: Client,
  keys: Keys,
  count: number,
  mayChange: boolean,
): Promise<void> {
  const recorded = Number((await redis.get(keys.partitions())) ?? '1');
  if (recorded === count) {
    if (mayChange) await redis.set(keys.partitions(), String(count), 'NX');
    return;
  }
  if (!mayChange) {
    throw new PartitionCountError(
      `QUEUE_PARTITIONS is ${count} but the queues are partitioned ${recorded} ways: set QUEUE_PARTITIONS=${recorded} ` +
        `or start the producer with ${count} first (README, "Partitions")`,
    );
  }
  let unfinished = 0;
  for (const platform of PLATFORMS) {
    for (const part of partsOf(platform, recorded)) {
      const queue = new Queue(part, { connection, prefix: keys.platformPrefix(part) });
      try {
        const counts = await queue.getJobCounts(...UNFINISHED);
        unfinished += Object.values(counts).reduce((sum, each) => sum + each, 0);
      } finally {
        await queue.close();
      }
    }
  }
  if (unfinished > 0) {
    throw new PartitionCountError(
      `QUEUE_PARTITIONS is ${count} but the queues hold ${unfinished} unfinished jobs under ${recorded} partitions: ` +
        `set QUEUE_PARTITIONS=${recorded}, or drain the queues first (README, "Partitions")`,
    );
  }
  await redis.set(keys.partitions(), String(count));
}
