import type { Cluster, Redis } from 'ioredis';
import type { ErrorInfo } from '../jobs.ts';
import type { Keys } from '../keys.ts';

/**
 * What the producer tells operators (`/api/status` shows `cursor`, `lastPollAt`, `lastError`).
 * Times are ISO-8601 UTC. Written by the replica holding the lease; readable by anyone.
 */
export interface ProducerStatus {
  /** The stored cursor (the key itself, not a copy): where the next poll starts; null = the oldest. */
  cursor: string | null;
  lastPollAt: string | null;
  lastSuccessAt: string | null;
  /** The last failed poll, cleared by a good one. Never holds a secret. */
  lastError: ErrorInfo | null;
  /**
   * The replica holding the lease now, null when none does. Read from the lease key itself: the
   * `leader` field the producer writes into the hash names the last one to take it, even if dead.
   */
  leader: string | null;
  /** The `limit` of the next poll: WM_PAGE_SIZE, or less while WM answers over 16 MiB. */
  limit: number | null;
  /** Set while the producer cannot move past WM's answer at all (over 16 MiB even at limit 1). */
  stuck: string | null;
  /** The last time WM forgot the cursor (410) and the producer started again from the oldest. */
  lastRestartAt: string | null;
}

/** Fields the producer writes; `cursor` is written with the cursor itself (fenced by the lease). */
export type ProducerStatusUpdate = Partial<Omit<ProducerStatus, 'cursor'>>;

type Client = Redis | Cluster;

/** Writes the given fields; null deletes one. */
export async function writeProducerStatus(
  redis: Client,
  keys: Keys,
  update: ProducerStatusUpdate,
): Promise<void> {
  const set: Record<string, string> = {};
  const unset: string[] = [];
  for (const [field, value] of Object.entries(update)) {
    if (value === undefined) continue;
    if (value === null) unset.push(field);
    else set[field] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  const key = keys.producer('status');
  const pipeline = redis.pipeline();
  if (Object.keys(set).length > 0) pipeline.hset(key, set);
  if (unset.length > 0) pipeline.hdel(key, ...unset);
  const results = await pipeline.exec();
  const failed = results?.find(([error]) => error !== null);
  if (failed?.[0]) throw failed[0];
}

export async function readProducerStatus(redis: Client, keys: Keys): Promise<ProducerStatus> {
  const [fields, cursor, leader] = await Promise.all([
    redis.hgetall(keys.producer('status')),
    redis.get(keys.producer('cursor')),
    redis.get(keys.producer('lease')),
  ]);
  return {
    cursor,
    lastPollAt: fields.lastPollAt ?? null,
    lastSuccessAt: fields.lastSuccessAt ?? null,
    lastError: fields.lastError ? (JSON.parse(fields.lastError) as ErrorInfo) : null,
    leader,
    limit: fields.limit ? Number(fields.limit) : null,
    stuck: fields.stuck ?? null,
    lastRestartAt: fields.lastRestartAt ?? null,
  };
}
