import type { Queue } from 'bullmq';
import type {
  Config,
  Keys,
  Logger,
  OverviewStore,
  Part,
  Platform,
  QueueSpec,
  RedisClient,
  TicketRecords,
  TicketStore,
} from '@tbe/shared';
import { CreateClaims } from '../flow/claims.ts';
import { operationRunners } from '../flow/operations.ts';
import { PendingCreates } from '../flow/pending-creates.ts';
import type { ConcurrencyLimiter } from '../batch/limiter.ts';
import type { PlatformAdapter } from '../platform/adapter.ts';
import { keepAuthState, prepareAdapter } from './adapter-lifecycle.ts';
import { startDeadLetterWorker } from './dead-letters.ts';
import type { LiveSettings } from './live-settings.ts';
import type { WorkerMetrics } from './metrics.ts';
import { startPlatformWorker, type PlatformWorker } from './platform-worker.ts';

/** A partition's queue and its catalogue entry. */
export interface PartQueue {
  part: Part;
  queue: Queue;
  spec: QueueSpec;
}

/** What the worker role shares with each platform it serves. */
export interface PlatformRoleDeps {
  platform: Platform;
  config: Config;
  adapter: PlatformAdapter;
  connection: RedisClient;
  redis: RedisClient;
  keys: Keys;
  overview: OverviewStore;
  tickets: TicketStore;
  records: TicketRecords;
  live: LiveSettings;
  metrics: WorkerMetrics;
  logger: Logger;
  /** The platform's partitions (one with QUEUE_PARTITIONS=1, named after the platform). */
  parts: readonly PartQueue[];
  deadLetters: Queue;
  deadLetterSpec: QueueSpec;
  statusQueue: Queue | undefined;
  workerId: string | undefined;
  limiter: ConcurrencyLimiter;
}

/**
 * One platform in a worker process: a batching worker per partition (started once the adapter
 * is prepared: business objects and field ids resolved, a token obtained) sharing the
 * platform's adapter, settings and requests in flight, one dead-letter worker, and the
 * published auth state. Answers its close function.
 */
export function startPlatformRole(deps: PlatformRoleDeps): () => Promise<void> {
  const { platform, config, adapter, redis, keys, records, live, logger } = deps;
  const workers: PlatformWorker[] = deps.parts.map(({ part, queue, spec }) => {
    const pending = new PendingCreates(redis, records, part);
    const runners = operationRunners({
      adapter,
      claims: new CreateClaims(redis, records, part, claimTtlMs(config, platform)),
      claimWaitMs: Math.max(live.get(platform).batchWaitMs * 2, 250),
      markWorkOrderUnknown: async (ticketIds) => {
        const pipeline = redis.pipeline();
        for (const ticketId of ticketIds)
          pipeline.hset(records.keysOf(part, ticketId).state, 'workOrderUnknown', '1');
        await pipeline.exec();
      },
    });
    return startPlatformWorker({
      ...deps,
      part,
      platformQueue: queue,
      platformSpec: spec,
      runners,
      pending,
      wait: {
        baseMs: config.backoff.baseMs,
        maxMs: config.backoff.maxMs,
        authRetryMs: config.timings.authRetryMs,
      },
      backoff: config.backoff,
      timings: config.timings,
    });
  });
  const first = deps.parts[0]!;
  const deadLetterWorker = startDeadLetterWorker({
    ...deps,
    queueOf: async (ticketId) => {
      const part = await records.partOf(platform, ticketId);
      return deps.parts.find((each) => each.part === part) ?? first;
    },
    timings: config.timings,
    maxRetries: () => Promise.resolve(live.get(platform).maxRetries),
  });
  const stopPreparing = new AbortController();
  const preparing = prepareAdapter(adapter, config.timings.authRetryMs, logger, stopPreparing.signal).then(
    (ready) => {
      if (!ready) return;
      for (const worker of workers)
        worker.worker
          .run()
          .catch((error: unknown) => logger.error({ err: error }, 'platform worker stopped'));
    },
  );
  const stopAuth = keepAuthState({
    adapter,
    redis,
    key: keys.auth(platform),
    workerId: deps.workerId,
    metrics: deps.metrics,
    platform,
    everyMs: config.timings.settingsRefreshMs,
  });
  return async () => {
    stopAuth();
    stopPreparing.abort();
    await preparing;
    await Promise.all([...workers.map((worker) => worker.close()), deadLetterWorker.close()]);
    await Promise.all([adapter.close(), deps.deadLetters.close()]);
  };
}

/** A create claim outlives one create run: its requests (lookup, search, save, notes) with their timeouts. */
function claimTtlMs(config: Config, platform: Platform): number {
  const timeoutMs =
    (platform === 'cherwell' ? config.cherwell?.requestTimeoutMs : config.sfyc?.requestTimeoutMs) ?? 30_000;
  return timeoutMs * 5 + 10_000;
}
