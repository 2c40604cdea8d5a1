import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';
import { PLATFORMS, type Platform } from '@tbe/shared';
import { readProducerStatus, type ProducerStatus } from '@tbe/shared/store/producer-status';
import type { DashboardContext } from './context.ts';
import { AUTH_STATES, readAuthState, type AuthState } from './reads/status.ts';

/** The job states shown per queue. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized'] as const;

interface Snapshot {
  depth: { queue: string; counts: Record<string, number>; oldestWaitingAtMs: number | undefined }[];
  platforms: { platform: Platform; dead: number; auth: AuthState; paused: boolean; rateLimited: boolean }[];
  producer: ProducerStatus;
  atMs: number;
}

/** A scrape should not hang while Redis is away: past this, the previous values are served. */
const SNAPSHOT_TIMEOUT_MS = 2000;
const SNAPSHOT_REUSE_MS = 500;

/**
 * Queue-level figures, read from Redis when Prometheus scrapes (every dashboard replica shows the
 * same values). Names differ from the worker's and producer's own metrics, so that `run all`
 * can serve every role from one registry.
 */
export function registerQueueMetrics(ctx: DashboardContext, registry: Registry): void {
  const registers = [registry];
  let last: Snapshot | undefined;
  let cached: { atMs: number; snapshot: Promise<Snapshot | undefined> } | undefined;
  // One Redis read per scrape, shared by every gauge's collect() (they run within milliseconds).
  const snapshot = (): Promise<Snapshot | undefined> => {
    if (cached && Date.now() - cached.atMs < SNAPSHOT_REUSE_MS) return cached.snapshot;
    const read = withTimeout(readSnapshot(ctx), SNAPSHOT_TIMEOUT_MS)
      .then((value) => (last = value ?? last))
      .catch((error: unknown) => {
        ctx.logger.warn({ err: error }, 'queue metrics not read');
        return last;
      });
    cached = { atMs: Date.now(), snapshot: read };
    return read;
  };

  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge, s: Snapshot) => void) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        const current = await snapshot();
        if (!current) return;
        this.reset();
        fill(this, current);
      },
    });

  gauge(
    'tbe_queue_jobs',
    'Jobs per queue and state (dead letters are the failed ones of <platform>-dead)',
    ['queue', 'state'],
    (g, s) => {
      for (const { queue, counts } of s.depth)
        for (const state of QUEUE_STATES) g.set({ queue, state }, counts[state] ?? 0);
    },
  );
  gauge(
    'tbe_queue_oldest_waiting_age_seconds',
    'Seconds since the oldest job waiting in the queue was queued (0 when none waits)',
    ['queue'],
    (g, s) => {
      for (const { queue, oldestWaitingAtMs } of s.depth)
        g.set(
          { queue },
          oldestWaitingAtMs === undefined ? 0 : Math.max(0, s.atMs - oldestWaitingAtMs) / 1000,
        );
    },
  );
  gauge(
    'tbe_dead_letter_queue_jobs',
    'Dead letters per platform, parked or being retried',
    ['platform'],
    (g, s) => {
      for (const p of s.platforms) g.set({ platform: p.platform }, p.dead);
    },
  );
  gauge(
    'tbe_platform_auth_state',
    'The auth state the workers report: 1 on the current state',
    ['platform', 'state'],
    (g, s) => {
      for (const p of s.platforms)
        for (const state of AUTH_STATES) g.set({ platform: p.platform, state }, p.auth === state ? 1 : 0);
    },
  );
  gauge(
    'tbe_processing_enabled',
    '1 while processing is enabled for the platform, 0 while disabled',
    ['platform'],
    (g, s) => {
      for (const p of s.platforms) g.set({ platform: p.platform }, p.paused ? 0 : 1);
    },
  );
  gauge('tbe_platform_rate_limited', '1 while the platform asked us to wait (429)', ['platform'], (g, s) => {
    for (const p of s.platforms) g.set({ platform: p.platform }, p.rateLimited ? 1 : 0);
  });
  gauge(
    'tbe_feed_last_success_timestamp_seconds',
    'When the producer last queued a WM page (Unix seconds)',
    [],
    (g, s) => {
      const atMs = Date.parse(s.producer.lastSuccessAt ?? '');
      if (Number.isFinite(atMs)) g.set(atMs / 1000);
    },
  );
  gauge(
    'tbe_feed_lag_seconds',
    'Seconds since the producer last queued a WM page: how far the queues may be behind the feed',
    [],
    (g, s) => {
      const atMs = Date.parse(s.producer.lastSuccessAt ?? '');
      if (Number.isFinite(atMs)) g.set(Math.max(0, s.atMs - atMs) / 1000);
    },
  );
}

async function readSnapshot(ctx: DashboardContext): Promise<Snapshot> {
  const [depth, platforms, producer] = await Promise.all([
    Promise.all(
      ctx.queues.map(async ({ spec, queue }) => {
        const [counts, oldestWaitingAtMs] = await Promise.all([
          queue.getJobCounts(...QUEUE_STATES),
          oldestWaitingAt(queue),
        ]);
        // A platform is one queue here whatever QUEUE_PARTITIONS: its partitions add up.
        return {
          queue: spec.part !== undefined ? (spec.platform ?? spec.name) : spec.name,
          counts,
          oldestWaitingAtMs,
        };
      }),
    ).then(mergeDepth),
    Promise.all(
      PLATFORMS.map(async (platform) => {
        const [dead, auth, paused, until] = await Promise.all([
          ctx.deadLetterQueue(platform).queue.getJobCountByTypes('failed', 'waiting'),
          readAuthState(ctx, platform),
          Promise.all(ctx.platformQueues(platform).map(({ queue }) => queue.isPaused())).then((each) =>
            each.some(Boolean),
          ),
          ctx.settings.rateLimitedUntil(platform),
        ]);
        return { platform, dead, auth, paused, rateLimited: until !== undefined };
      }),
    ),
    readProducerStatus(ctx.redis, ctx.keys),
  ]);
  return { depth, platforms, producer, atMs: ctx.now() };
}

/**
 * When the oldest waiting job was queued: the head of the wait list and of the prioritized set
 * (follow-on operations; one priority, so its lowest score is its oldest), two job reads at most.
 * A job back from a retry's delay keeps its first timestamp: it has waited that long.
 */
async function oldestWaitingAt(queue: Queue): Promise<number | undefined> {
  const heads = await queue.getJobs(['waiting', 'prioritized'], 0, 0, true);
  const stamps = heads.flatMap((job) => (job && Number.isFinite(job.timestamp) ? [job.timestamp] : []));
  return stamps.length === 0 ? undefined : Math.min(...stamps);
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Adds up the depth of the queues shown under one name (a platform's partitions). */
function mergeDepth(depth: Snapshot['depth']): Snapshot['depth'] {
  const merged = new Map<string, Snapshot['depth'][number]>();
  for (const one of depth) {
    const seen = merged.get(one.queue);
    if (!seen) {
      merged.set(one.queue, { ...one, counts: { ...one.counts } });
      continue;
    }
    for (const [state, n] of Object.entries(one.counts)) seen.counts[state] = (seen.counts[state] ?? 0) + n;
    const oldest = [seen.oldestWaitingAtMs, one.oldestWaitingAtMs].filter((at) => at !== undefined);
    seen.oldestWaitingAtMs = oldest.length === 0 ? undefined : Math.min(...oldest);
  }
  return [...merged.values()];
}
