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
 * (docs/decisions.md, "Partitions"): the same count goes on. The first role on a Redis without
 * a record records its count if no platform queue holds an unfinished job (else the queues are
 * a relay's from before partitions: one partition). Another count than the recorded one is
 * taken only by the producer (`mayChange`), the one role that adds tickets, and only while no
 * platform queue of the recorded count holds an unfinished job; otherwise the role refuses to
 * start.
 */
export async function ensurePartitionCount(
  redis: Client,
  connection: Client,
  keys: Keys,
  count: number,
  mayChange: boolean,
): Promise<void> {
  const record = await redis.get(keys.partitions());
  if (record === null && (count === 1 || (await unfinishedJobs(connection, keys, 1)) === 0)) {
    await redis.set(keys.partitions(), String(count), 'NX');
    return ensurePartitionCount(redis, connection, keys, count, mayChange);
  }
  const recorded = Number(record ?? '1');
  if (recorded === count) return;
  if (!mayChange) {
    throw new PartitionCountError(
      `QUEUE_PARTITIONS is ${count} but the queues are partitioned ${recorded} ways: set QUEUE_PARTITIONS=${recorded} ` +
        `or start the producer with ${count} first (README, "Partitions")`,
    );
  }
  const unfinished = await unfinishedJobs(connection, keys, recorded);
  if (unfinished > 0) {
    throw new PartitionCountError(
      `QUEUE_PARTITIONS is ${count} but the queues hold ${unfinished} unfinished jobs under ${recorded} partitions: ` +
        `set QUEUE_PARTITIONS=${recorded}, or drain the queues first (README, "Partitions")`,
    );
  }
  await redis.set(keys.partitions(), String(count));
}

/** Jobs not yet finished in every platform queue of a partition count. */
async function unfinishedJobs(connection: Client, keys: Keys, count: number): Promise<number> {
  let unfinished = 0;
  for (const platform of PLATFORMS) {
    for (const part of partsOf(platform, count)) {
      const queue = new Queue(part, { connection, prefix: keys.platformPrefix(part) });
      try {
        const counts = await queue.getJobCounts(...UNFINISHED);
        unfinished += Object.values(counts).reduce((sum, each) => sum + each, 0);
      } finally {
        await queue.close();
      }
    }
  }
  return unfinished;
}
