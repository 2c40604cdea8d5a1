import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Queue } from 'bullmq';
import type { Registry } from 'prom-client';
import {
  createKeys,
  OverviewStore,
  probeRedis,
  queueCatalogue,
  TicketRecords,
  TicketStore,
  ensurePartitionCount,
  PartitionCountError,
  type Config,
  type Logger,
  type Part,
  type PlatformJob,
  type RedisClient,
  type Readiness,
  sleep,
} from '@tbe/shared';
import { writeProducerStatus } from '@tbe/shared/store/producer-status';
import { SettingsStore } from '@tbe/shared/store/settings';
import { QuarantineStore } from '@tbe/shared/store/quarantine';
import { CursorStore, cursorCopyParts } from './cursor.ts';
import { Leadership } from './leadership.ts';
import { LeaderLease } from './lease.ts';
import { createProducerMetrics } from './metrics.ts';
import { Poller } from './poller.ts';
import { createWmClient } from '@tbe/shared/wm/client';
import { LongPoll } from './long-poll.ts';

export interface ProducerOptions {
  config: Config;
  /** A `producer` connection (createRedis(..., 'producer')): fails fast while Redis is away. Owned by the caller. */
  redis: RedisClient;
  logger: Logger;
  registry: Registry;
  /** What this replica writes into the lease; default `<host>:<pid>:<random>`. */
  replicaId?: string;
  /**
   * Whether the cursor is copied into every partition's shard after each page (docs/design.md,
   * "Cursor copies"); default: on a Redis Cluster only (standalone and Sentinel are one master,
   * whose replication keeps the page's writes before the cursor). Tests turn it on elsewhere.
   */
  cursorCopies?: boolean;
}

export interface Producer {
  readonly id: string;
  /** Finishes the page in hand, releases the lease; resolves within SHUTDOWN_TIMEOUT_MS. */
  stop(): Promise<void>;
  isLeader(): boolean;
  /** For /readyz: Redis reachable. A standby is ready too (it is ready to take over). */
  ready(): ReturnType<Readiness>;
}

/** Starts the WM producer: the lease keeper and, while leading, the poll loop. */
export function startProducer(options: ProducerOptions): Producer {
  const { config, redis } = options;
  if (!config.wm) throw new Error('the producer needs the WM configuration (WM_URL)');
  const id = options.replicaId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const logger = options.logger.child({ component: 'producer', replica: id });
  const keys = createKeys(config.queuePrefix);
  const metrics = createProducerMetrics(options.registry);
  const queues = platformQueues(config, redis, logger);
  const settings = new SettingsStore(redis, keys);
  const client = createWmClient({
    url: config.wm.url,
    token: config.wm.token,
    requestTimeoutMs: config.wm.requestTimeoutMs,
  });
  const lease = new LeaderLease(redis, keys.producer('lease'), id, config.timings.leaseTtlMs);
  const leadership = new Leadership(lease, logger, {
    onChange: (leader) => {
      metrics.leader.set(leader ? 1 : 0);
      if (leader) writeProducerStatus(redis, keys, { leader: id }).catch(() => undefined);
    },
  });
  const poller = new Poller(
    {
      redis,
      keys,
      client,
      cursor: new CursorStore(redis, keys, id, {
        parts:
          (options.cursorCopies ?? config.redis.kind === 'cluster')
            ? cursorCopyParts(config.queuePartitions)
            : [],
        logger,
      }),
      quarantine: new QuarantineStore(redis, keys),
      tickets: new TicketStore(redis, keys),
      records: new TicketRecords(redis, keys, config.queuePartitions),
      overview: new OverviewStore(redis, keys),
      queues,
      // Read per page: the budget in force is the jobs' `attempts` (an operator's change applies).
      maxRetries: async (platform) =>
        (await settings.effective(platform, config.settings[platform])).maxRetries.value,
      metrics,
      logger,
      longPoll: new LongPoll(config.wm.longPollS, logger, (waiting) => metrics.longPoll.set(waiting ? 1 : 0)),
      onLeaseLost: () => leadership.markLost(),
    },
    {
      pageSize: config.wm.pageSize,
      pollIntervalMs: config.wm.pollIntervalMs,
      // A poll is cheap and lag matters more than for a platform: cap the wait at a minute.
      backoff: { baseMs: config.backoff.baseMs, maxMs: Math.min(config.backoff.maxMs, 60_000) },
    },
  );

  metrics.leader.set(0);
  const stopping = new AbortController();
  leadership.start();
  // At start-up and after an outage the connection comes up between two tries: do not wait ttl/3.
  const onReady = (): void => leadership.kick();
  redis.on('ready', onReady);
  // The producer alone may record a new QUEUE_PARTITIONS, and only over empty queues; refused,
  // it polls nothing (one line) and answers not ready.
  let partitionError: string | undefined;
  const loop = (async () => {
    for (;;) {
      if (stopping.signal.aborted) return;
      try {
        await ensurePartitionCount(redis, redis, keys, config.queuePartitions, true);
        break;
      } catch (error) {
        if (error instanceof PartitionCountError) {
          partitionError = error.message;
          logger.error(partitionError);
          return;
        }
        // Redis not there yet (the connection fails fast): try again shortly.
        await sleep(250, stopping.signal);
      }
    }
    await runLoop(leadership, poller, stopping.signal, logger);
  })();
  logger.info(
    { wm: config.wm.url, pageSize: config.wm.pageSize, leaseTtlMs: lease.ttlMs },
    'producer started',
  );

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      stopping.abort();
      redis.off('ready', onReady);
      const teardown = (async () => {
        await loop;
        await leadership.stop();
        await Promise.all([...queues.values()].map((queue) => queue.close()));
        await client.close();
      })();
      const done = await Promise.race([
        teardown.then(() => true),
        new Promise<false>((resolve) => setTimeout(resolve, config.shutdownTimeoutMs, false).unref()),
      ]).catch((error: unknown) => {
        logger.warn({ err: error }, 'producer stop failed; the lease expires by itself');
        return true;
      });
      if (!done)
        logger.warn(
          { timeoutMs: config.shutdownTimeoutMs },
          'producer stop timed out; the lease expires by itself',
        );
      else logger.info('producer stopped');
    })();
    return stopped;
  };

  return {
    id,
    stop,
    isLeader: () => leadership.isLeader(),
    ready: async () => {
      // A PING, not the socket's status: a Redis that refuses our credentials is connected too.
      const state = await probeRedis(redis);
      return {
        ready: state === 'ready' && partitionError === undefined,
        detail: {
          redis: state,
          auth: {},
          leader: leadership.isLeader(),
          ...(partitionError ? { partitions: partitionError } : {}),
        },
      };
    },
  };
}

async function runLoop(
  leadership: Leadership,
  poller: Poller,
  signal: AbortSignal,
  logger: Logger,
): Promise<void> {
  while (!signal.aborted) {
    await leadership.waitUntilLeader(signal);
    if (signal.aborted) return;
    try {
      const next = await poller.pollOnce(signal);
      if (next === 'stopped') return;
      await sleep(next.delayMs, signal);
    } catch (error) {
      // pollOnce handles its own failures; this is a bug. Keep the loop alive, slowly.
      logger.error({ err: error }, 'producer loop failed');
      await sleep(1000, signal);
    }
  }
}

/** One BullMQ Queue per platform queue of the catalogue, sharing the producer connection. */
function platformQueues(config: Config, redis: RedisClient, logger: Logger): Map<Part, Queue<PlatformJob>> {
  const queues = new Map<Part, Queue<PlatformJob>>();
  for (const spec of queueCatalogue(createKeys(config.queuePrefix), config.queuePartitions)) {
    if (spec.kind !== 'platform' || spec.part === undefined) continue;
    const queue = new Queue<PlatformJob>(spec.name, {
      connection: redis,
      prefix: spec.prefix,
      defaultJobOptions: spec.jobOptions,
    });
    // A Queue re-emits its connection's errors; without a listener an 'error' event would throw.
    queue.on('error', (error) => logger.debug({ err: error, queue: spec.name }, 'queue connection error'));
    queues.set(spec.part, queue);
  }
  return queues;
}
