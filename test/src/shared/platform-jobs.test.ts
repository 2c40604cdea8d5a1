import { Queue } from 'bullmq';
import { afterAll, describe, expect, test } from 'vitest';
import { compactAddedJobs, createKeys, PLATFORM_JOB_NAME, platformJobOptions } from '@tbe/shared';
import { deletePrefix, testRedis, uniquePrefix } from '../index.ts';

const redis = testRedis();
const prefix = uniquePrefix('jobs');
const keys = createKeys(prefix);
const queueConnection = testRedis();
const queue = new Queue('sfyc', { connection: queueConnection, prefix: keys.platformPrefix('sfyc') });
afterAll(async () => {
  await queue.close();
  queueConnection.disconnect();
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

describe('compactAddedJobs', () => {
  test('when platform jobs are compacted, then only keepLastIfActive leaves their hashes, which become listpacks', async () => {
    const added = await queue.addBulk(
      ['WM-20261126-000123', 'WM-20261126-000124'].map((ticketId) => ({
        name: PLATFORM_JOB_NAME,
        data: { ticketId },
        opts: platformJobOptions(ticketId, 3),
      })),
    );
    const jobKeys = added.map((job) => queue.toKey(job.id ?? ''));
    const before = await Promise.all(jobKeys.map((key) => redis.hgetall(key)));
    expect(await redis.object('ENCODING', jobKeys[0] ?? '')).toBe('hashtable');

    await compactAddedJobs(redis, queue, [...added.map((job) => job.id), added[0]?.id, 'gone', undefined]);

    for (const [index, key] of jobKeys.entries()) {
      const { opts, ...rest } = await redis.hgetall(key);
      const { opts: optsBefore, ...restBefore } = before[index] ?? {};
      expect(rest).toEqual(restBefore);
      const wanted = JSON.parse(optsBefore ?? '{}') as { de: Record<string, unknown> };
      delete wanted.de.keepLastIfActive;
      expect(JSON.parse(opts ?? '{}')).toEqual(wanted);
      expect(await redis.object('ENCODING', key)).toBe('listpack');
    }
    expect(await redis.exists(queue.toKey('gone'))).toBe(0);
    // What BullMQ reads back is the same job: data, budget and deduplication id.
    const job = await queue.getJob(added[0]?.id ?? '');
    expect(job?.opts).toEqual({ attempts: 4, deduplication: { id: 't-WM-20261126-000123' } });
    expect(job?.deduplicationId).toBe('t-WM-20261126-000123');
  });

  test('when a compact job is compacted again, then it is left as it is', async () => {
    const job = await queue.add(PLATFORM_JOB_NAME, { ticketId: 'WM-2' }, platformJobOptions('WM-2', 3));
    await compactAddedJobs(redis, queue, [job.id]);
    const once = await redis.hgetall(queue.toKey(job.id ?? ''));
    await compactAddedJobs(redis, queue, [job.id]);
    expect(await redis.hgetall(queue.toKey(job.id ?? ''))).toEqual(once);
  });
});
