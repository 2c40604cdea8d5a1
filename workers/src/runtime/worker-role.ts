import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Queue } from 'bullmq';
import type { Registry } from 'prom-client';
import {
  createKeys,
  createRedis,
  logRedisErrors,
  probeAll,
  untilRedisUsable,
  findQueue,
  initialiseProcessing,
  OverviewStore,
  queueCatalogue,
  SettingsStore,
  STATUS_QUEUE_NAME,
  TicketRecords,
  TicketStore,
  deadLetterQueueName,
  ensurePartitionCount,
  type Config,
  type Logger,
  type Platform,
  type RedisState,
  type Readiness,
} from '@tbe/shared';
import { ConcurrencyStore } from '@tbe/shared/store/concurrency';
import { AdaptiveLimiter } from '../batch/adaptive-limiter.ts';
import type { PlatformAdapter, RequestObserver } from '../platform/adapter.ts';
import { LiveSettings } from './live-settings.ts';
import { createWorkerMetrics, statusClass, type WorkerMetrics } from './metrics.ts';
import { startPlatformRole } from './platform-role.ts';
import { startStatusReporter } from './status-reporter.ts';

export type AdapterFactory = (platform: Platform, observer: RequestObserver) => PlatformAdapter;

export interface WorkerRoleOptions {
  config: Config;
  logger: Logger;
  registry: Registry;
  createAdapter: AdapterFactory;
  /** Names this process in the auth-state hash (default: host and pid). */
  workerId?: string;
  /** Hears Redis's state while the role waits for a usable Redis at start. */
  onRedisState?: (state: RedisState) => void;
}

export interface WorkerRole {
  ready(): ReturnType<Readiness>;
  /** For `/healthz`: the worse state of the role's two connections. */
  redisState(): Promise<RedisState>;
  close(): Promise<void>;
}

/**
 * The worker role: one batching platform worker and one dead-letter worker per platform in
 * WORKER_PLATFORMS, and the WM status reporter.
 */
export async function startWorkerRole(options: WorkerRoleOptions): Promise<WorkerRole> {
  const { config, logger } = options;
  const keys = createKeys(config.queuePrefix);
  const catalogue = queueCatalogue(keys, config.queuePartitions);
  const connection = createRedis(config.redis, 'worker', 'tbe-worker-bullmq');
  const redis = createRedis(config.redis, 'worker', 'tbe-worker');
  // Both reconnect by themselves; an outage is one warning per new error, not a stack per try.
  for (const client of [connection, redis]) logRedisErrors(client, logger);
  // Unreachable or refusing our credentials at start: wait (one log line) instead of exiting.
  await untilRedisUsable(redis, logger, { onState: options.onRedisState });
  // Refuses to start on queues partitioned another way (one line; the producer alone changes it).
  await ensurePartitionCount(redis, connection, keys, config.queuePartitions, false).catch(
    async (error: unknown) => {
      await Promise.all([redis.quit(), connection.quit()]).catch(() => undefined);
      throw error;
    },
  );
  const metrics = createWorkerMetrics(options.registry);
  const overview = new OverviewStore(redis, keys);
  const tickets = new TicketStore(redis, keys);
  const records = new TicketRecords(redis, keys, config.queuePartitions);
  const settingsStore = new SettingsStore(redis, keys);
  const platforms = config.workerPlatforms;
  const queueOf = (name: string): Queue => {
    const spec = findQueue(catalogue, name);
    const queue = new Queue(spec.name, {
      connection,
      prefix: spec.prefix,
      defaultJobOptions: spec.jobOptions,
    });
    queue.on('error', (error) => logger.warn({ err: error, queue: spec.name }, 'queue error'));
    return queue;
  };
  const partQueues = new Map(
    platforms.map((platform) => [
      platform,
      records
        .parts(platform)
        .map((part) => ({ part, queue: queueOf(part), spec: findQueue(catalogue, part) })),
    ]),
  );
  const allPartQueues = [...partQueues.values()].flat().map(({ queue }) => queue);
  await initialiseProcessing(redis, keys, allPartQueues, config.processingEnabled);
  const statusQueue = config.wm?.statusReporting ? queueOf(STATUS_QUEUE_NAME) : undefined;

  const live = new LiveSettings({
    store: settingsStore,
    start: config.settings,
    platforms,
    refreshMs: config.timings.settingsRefreshMs,
    // The switch is platform-wide: any partition paused (Bull Board pauses all of them) is off.
    isPaused: async (platform) =>
      (await Promise.all((partQueues.get(platform) ?? []).map(({ queue }) => queue.isPaused()))).some(
        Boolean,
      ),
    logger,
  });
  await live.start();

  const closers: (() => Promise<void>)[] = [];
  const adapters: PlatformAdapter[] = [];
  const concurrency = new ConcurrencyStore(redis, keys);
  // Unique even for two runtimes in one process: each takes its own share of the limit.
  const processId = `${options.workerId ?? `${hostname()}:${process.pid}`}:${randomUUID().slice(0, 8)}`;
  const limiters: AdaptiveLimiter[] = [];
  for (const platform of platforms) {
    const platformLogger = logger.child({ platform });
    const limiter = new AdaptiveLimiter({
      platform,
      mode: config.concurrency[platform],
      store: concurrency,
      processId,
      ceiling: () => live.get(platform).maxInFlight,
      logger: platformLogger,
      onLimit: (answer) => {
        metrics.concurrencyLimit.set({ platform }, answer.limit);
        metrics.concurrencyShare.set({ platform }, answer.share);
      },
    });
    limiter.start();
    limiters.push(limiter);
    const observe = requestObserver(metrics, platformLogger);
    const adapter = options.createAdapter(platform, (record) => {
      observe(record);
      limiter.observe(record);
    });
    adapters.push(adapter);
    const deadLetterSpec = findQueue(catalogue, deadLetterQueueName(platform));
    closers.push(
      startPlatformRole({
        platform,
        config,
        adapter,
        connection,
        redis,
        keys,
        overview,
        tickets,
        records,
        live,
        metrics,
        logger: platformLogger,
        parts: partQueues.get(platform) ?? [],
        deadLetters: queueOf(deadLetterSpec.name),
        deadLetterSpec,
        statusQueue,
        workerId: options.workerId,
        limiter,
      }),
    );
  }
  const reporter = config.wm?.statusReporting
    ? startStatusReporter({
        wm: config.wm,
        connection,
        spec: findQueue(catalogue, STATUS_QUEUE_NAME),
        timings: config.timings,
        backoff: config.backoff,
        metrics,
        logger,
      })
    : undefined;

  return {
    ready() {
      const auth = Object.fromEntries(
        platforms.map((platform, index) => [platform, adapters[index]?.authState() ?? 'unknown']),
      );
      return probeAll([redis, connection]).then((state) => ({
        ready: state === 'ready' && Object.values(auth).every((one) => one === 'ok'),
        detail: { redis: state, auth, leader: null },
      }));
    },
    redisState: () => probeAll([redis, connection]),
    async close() {
      live.stop();
      for (const limiter of limiters) limiter.stop();
      await Promise.all([...closers.map((close) => close()), reporter?.close()]);
      await Promise.all(
        [...allPartQueues, ...(statusQueue ? [statusQueue] : [])].map((queue) => queue.close()),
      );
      await Promise.all([redis.quit(), connection.quit()]);
    },
  };
}

function requestObserver(metrics: WorkerMetrics, logger: Logger): RequestObserver {
  return (record) => {
    metrics.requests.inc({
      platform: record.platform,
      call: record.call,
      status_class: statusClass(record.status),
    });
    metrics.requestDuration.observe(
      { platform: record.platform, call: record.call },
      record.durationMs / 1000,
    );
    logger.info(
      { call: record.call, items: record.items, status: record.status, durationMs: record.durationMs },
      'platform request',
    );
  };
}
