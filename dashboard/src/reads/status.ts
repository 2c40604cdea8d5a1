import { PLATFORMS, type Platform, type SettingsWithSource } from '@tbe/shared';
import { ConcurrencyStore, type ConcurrencyStatus } from '@tbe/shared/store/concurrency';
import { readProducerStatus } from '@tbe/shared/store/producer-status';
import { z } from 'zod';
import type { DashboardContext } from '../context.ts';
import type { Processing } from '../commands.ts';

export type AuthState = 'ok' | 'failed' | 'unknown';
export const AUTH_STATES: readonly AuthState[] = ['ok', 'failed', 'unknown'];

export interface PlatformStatus {
  processing: Processing;
  auth: AuthState;
  rateLimitedUntil: string | null;
  /** Requests in flight allowed now over all worker processes; null while no worker sends. */
  concurrency: ConcurrencyStatus | null;
  settings: SettingsWithSource;
  counts: { waiting: number; active: number; delayed: number; failed: number; dead: number };
}

export interface Status {
  platforms: Record<Platform, PlatformStatus>;
  producer: {
    cursor: string | null;
    lastPollAt: string | null;
    lastError: { code: string; message: string } | null;
    lastSuccessAt: string | null;
    leader: string | null;
    stuck: string | null;
  };
}

const publishedSchema = z.object({ state: z.enum(['ok', 'failed', 'unknown']), atMs: z.number() });

/**
 * The platform's auth state from what the worker processes publish (workers' adapter-lifecycle):
 * an entry older than three refresh periods belongs to a process that stopped and is ignored.
 * One process refused by the platform is enough to say `failed`.
 */
export async function readAuthState(ctx: DashboardContext, platform: Platform): Promise<AuthState> {
  const published = await ctx.redis.hgetall(ctx.keys.auth(platform));
  const freshAfterMs = ctx.now() - 3 * ctx.config.timings.settingsRefreshMs;
  const states = Object.values(published).flatMap((json) => {
    try {
      const entry = publishedSchema.parse(JSON.parse(json));
      return entry.atMs > freshAfterMs ? [entry.state] : [];
    } catch {
      return [];
    }
  });
  if (states.includes('failed')) return 'failed';
  return states.includes('ok') ? 'ok' : 'unknown';
}

export async function readPlatformStatus(ctx: DashboardContext, platform: Platform): Promise<PlatformStatus> {
  const queues = ctx.platformQueues(platform).map(({ queue }) => queue);
  const dead = ctx.deadLetterQueue(platform).queue;
  const [paused, auth, rateLimitedUntil, concurrency, settings, counts, deadCounts] = await Promise.all([
    // The platform as one, whatever QUEUE_PARTITIONS: off when any partition is paused.
    Promise.all(queues.map((queue) => queue.isPaused())).then((each) => each.some(Boolean)),
    readAuthState(ctx, platform),
    ctx.settings.rateLimitedUntil(platform),
    new ConcurrencyStore(ctx.redis, ctx.keys).read(platform, ctx.now()),
    ctx.settings.effective(platform, ctx.config.settings[platform]),
    Promise.all(queues.map((queue) => queue.getJobCounts('waiting', 'active', 'delayed', 'failed'))).then(
      sumCounts,
    ),
    // A dead letter is parked as failed; one retried from Bull Board waits until it is redriven.
    dead.getJobCounts('failed', 'waiting'),
  ]);
  return {
    processing: paused ? 'disabled' : 'enabled',
    auth,
    rateLimitedUntil: rateLimitedUntil === undefined ? null : new Date(rateLimitedUntil).toISOString(),
    concurrency,
    settings,
    counts: {
      waiting: counts.waiting ?? 0,
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      failed: counts.failed ?? 0,
      dead: (deadCounts.failed ?? 0) + (deadCounts.waiting ?? 0),
    },
  };
}

export async function readStatus(ctx: DashboardContext): Promise<Status> {
  const [platforms, producer] = await Promise.all([
    Promise.all(
      PLATFORMS.map(async (platform) => [platform, await readPlatformStatus(ctx, platform)] as const),
    ),
    readProducerStatus(ctx.redis, ctx.keys),
  ]);
  return {
    platforms: Object.fromEntries(platforms) as Record<Platform, PlatformStatus>,
    producer: {
      cursor: producer.cursor,
      lastPollAt: producer.lastPollAt,
      lastError: producer.lastError,
      lastSuccessAt: producer.lastSuccessAt,
      leader: producer.leader,
      stuck: producer.stuck,
    },
  };
}

/** Job counts of a platform's partitions, added up. */
function sumCounts(all: readonly Record<string, number>[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const counts of all)
    for (const [state, n] of Object.entries(counts)) sum[state] = (sum[state] ?? 0) + n;
  return sum;
}
