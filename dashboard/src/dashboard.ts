import type { Registry } from 'prom-client';
import {
  createRedis,
  logRedisErrors,
  probeRedis,
  type RedisState,
  initialiseProcessing,
  type Config,
  type ExtraHandler,
  type Logger,
  type RedisClient,
  type Readiness,
  ensurePartitionCount,
} from '@tbe/shared';
import { tokenChecker } from './auth/credentials.ts';
import { SessionStore } from './auth/sessions.ts';
import { LoginThrottle } from './auth/throttle.ts';
import { createBoard } from './board/board.ts';
import { createQueueCommands, type QueueCommands } from './commands.ts';
import { createContext, type DashboardContext } from './context.ts';
import { apiRoutes } from './http/api.ts';
import { dashboardHandler } from './http/handler.ts';
import { registerQueueMetrics } from './metrics.ts';
import { overviewPages } from './overview/routes.ts';
import { startMaintenance } from './maintenance.ts';
import { createRetentionSweeper, type RetentionSweeper } from './retention.ts';

export interface DashboardOptions {
  config: Config;
  logger: Logger;
  /** Where the queue metrics are registered (the role server serves it at /metrics). */
  registry: Registry;
  /** A connection to use (closed by its owner); by default the dashboard opens its own. */
  redis?: RedisClient;
  /** ms epoch; tests move it to age tickets past their retention. */
  now?: () => number;
  /**
   * Overview retention: how long (default TICKET_RETENTION_DAYS), the pause between maintenance
   * passes (0: none, the caller runs `sweeper.runOnce()`), the candidates examined per pass.
   */
  retention?: { retentionMs?: number; everyMs?: number; maxPerRun?: number };
}

export interface Dashboard {
  /** Mount on the role server (`extra`): answers /api/* and /admin/*. */
  readonly handler: ExtraHandler;
  /** The admin operations the API calls. */
  readonly commands: QueueCommands;
  readonly sweeper: RetentionSweeper;
  readonly context: DashboardContext;
  ready(): ReturnType<Readiness>;
  /** For `/healthz`: whether Redis answers us. */
  redisState(): Promise<RedisState>;
  close(): Promise<void>;
}

/** How often the overview sweep runs by default (and dead-letter queues are checked running). */
const MAINTENANCE_EVERY_MS = 60_000;

/**
 * The dashboard role in process: Bull Board at /admin/queues, the admin API at /api, the queue
 * metrics, and the overview retention sweep. Needs `config.adminToken` (the demo generates one).
 */
export function startDashboard(options: DashboardOptions): Dashboard {
  const { config, logger } = options;
  if (config.adminToken === undefined) throw new Error('ADMIN_TOKEN is required by the dashboard');
  const ownRedis = options.redis === undefined;
  // `worker` style: commands wait out a short Redis outage instead of failing.
  const redis = options.redis ?? createRedis(config.redis, 'worker', 'tbe-dashboard');
  if (ownRedis) logRedisErrors(redis, logger);
  const ctx = createContext({ config, redis, logger, now: options.now });
  const commands = createQueueCommands(ctx);
  const sweeper = createRetentionSweeper(ctx, options.retention);
  registerQueueMetrics(ctx, options.registry);

  // In the background: the HTTP side must come up (and /readyz say why) even while Redis is away.
  const platformQueues = ctx.queues.filter(({ spec }) => spec.kind === 'platform').map(({ queue }) => queue);
  let closing = false;
  void initialiseProcessing(redis, ctx.keys, platformQueues, config.processingEnabled).catch(
    (error: unknown) => {
      if (!closing) logger.error({ err: error }, 'processing switch not initialised');
    },
  );
  // Queues partitioned another way than QUEUE_PARTITIONS say: every listing would miss tickets.
  // One line, and /readyz answers not ready (the HTTP side stays up, as for an absent Redis).
  let partitionError: string | undefined;
  void ensurePartitionCount(redis, redis, ctx.keys, config.queuePartitions, false).catch((error: unknown) => {
    if (closing) return;
    partitionError = error instanceof Error ? error.message : String(error);
    logger.error(partitionError);
  });
  const maintenance = startMaintenance({
    everyMs: options.retention?.everyMs ?? MAINTENANCE_EVERY_MS,
    logger,
    tasks: [() => commands.keepDeadLettersRunning(), () => sweeper.runOnce()],
  });

  const handler = dashboardHandler({
    routes: apiRoutes(ctx, commands),
    sessions: new SessionStore(redis, config.queuePrefix, config.adminToken),
    throttle: new LoginThrottle(redis, config.queuePrefix),
    checkToken: tokenChecker(config.adminToken),
    board: createBoard(ctx),
    overview: overviewPages(ctx, commands),
    logger,
  });

  return {
    handler,
    commands,
    sweeper,
    context: ctx,
    async ready() {
      const state = await probeRedis(redis);
      return {
        ready: state === 'ready' && partitionError === undefined,
        detail: {
          redis: state,
          auth: {},
          leader: null,
          ...(partitionError ? { partitions: partitionError } : {}),
        },
      };
    },
    redisState: () => probeRedis(redis),
    async close() {
      closing = true;
      await maintenance.stop();
      await Promise.all(ctx.queues.map(({ queue }) => queue.close()));
      // Nothing of the dashboard's is in flight once the passes stopped: no need to wait for QUIT.
      if (ownRedis) redis.disconnect();
    },
  };
}
