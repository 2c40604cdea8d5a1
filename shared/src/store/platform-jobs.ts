import type { Queue } from 'bullmq';
import type { RedisClient } from '../redis.ts';
import { callScript, defineScript, luaSource } from './scripts.ts';

/**
 * Rewrites jobs just added to a platform queue without `de.keepLastIfActive` in their stored
 * `opts` (lua/compact-jobs.lua). BullMQ reads that option only while adding a job (to keep one
 * follow-up of an active job), never from a stored job, and without it a platform job's hash
 * is a listpack at Redis's defaults: about 400 B less per queued ticket (docs/design.md, "Keys
 * in Redis"). Jobs added and already taken, deduplicated into an existing job, or gone, are
 * fine: the rewrite keeps every field and skips a compact job.
 */
export async function compactAddedJobs(
  redis: RedisClient,
  queue: Queue,
  jobIds: readonly (string | undefined)[],
): Promise<void> {
  const ids = [...new Set(jobIds.filter((id): id is string => id !== undefined))];
  if (ids.length === 0) return;
  defineScript(redis, 'tbeCompactJobs', luaSource('compact-jobs'));
  await callScript(
    redis,
    'tbeCompactJobs',
    ids.map((id) => queue.toKey(id)),
    [],
  );
}
