import { Registry, collectDefaultMetrics } from 'prom-client';
import {
  closeWithin,
  createLogger,
  loadConfig,
  startEvictionGuard,
  type LogDestination,
  startRoleServer,
  stopOnce,
  type Config,
  type RedisState,
} from '@tbe/shared';
import { createAdapter } from './platform/create-adapter.ts';
import { startWorkerRole, type AdapterFactory, type WorkerRole } from './runtime/worker-role.ts';

export interface RunningWorker {
  readonly port: number;
  ready: WorkerRole['ready'];
  /** Finishes or hands back in-flight work, within SHUTDOWN_TIMEOUT_MS. */
  stop(): Promise<void>;
}

export interface RunWorkerOptions {
  /** Where the logs go (default stdout); the demo sends them to a file. */
  logDestination?: LogDestination;
  /** Stop on SIGTERM/SIGINT and exit (default true; false when the caller runs several roles). */
  handleSignals?: boolean;
  /** The interface the role server listens on (default every one, as in a container; the demo: loopback). */
  host?: string;
}

/** The adapters of the configured platforms, with the runtime's observer and auth retry pace. */
export function adapterFactory(config: Config): AdapterFactory {
  return (platform, observer) =>
    createAdapter(platform, config, { observer, authRetryMs: config.timings.authRetryMs });
}

/**
 * The worker role as a process runs it: configuration, the platform workers, the dead-letter
 * workers, the WM status reporter, and the role server (/healthz, /readyz, /metrics).
 * Throws ConfigError (one line per bad variable) before starting anything.
 */
export async function runWorker(
  env: Record<string, string | undefined>,
  options: RunWorkerOptions = {},
): Promise<RunningWorker> {
  const config = loadConfig(env, 'worker');
  const logger = createLogger({
    level: config.logLevel,
    role: 'worker',
    destination: options.logDestination,
  });
  // Refuses to work (exit 1, one line) on a Redis that evicts keys, checked on every connection.
  const guard = startEvictionGuard(config.redis, logger);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // The HTTP side comes up first: while the role waits for a usable Redis, /healthz answers
  // (and says so) and /readyz says not ready.
  const current: { role?: WorkerRole; startingState: RedisState } = { startingState: 'unreachable' };
  const server = await startRoleServer({
    port: config.httpPort,
    host: options.host,
    readiness: () =>
      current.role?.ready() ??
      Promise.resolve({ ready: false, detail: { redis: current.startingState, auth: {}, leader: null } }),
    redisState: () => current.role?.redisState() ?? Promise.resolve(current.startingState),
    registry,
  });
  const started = await startWorkerRole({
    config,
    logger,
    registry,
    createAdapter: adapterFactory(config),
    onRedisState: (state) => {
      current.startingState = state;
    },
  });
  current.role = started;
  logger.info(
    { port: server.port, platforms: config.workerPlatforms },
    'worker role serving /healthz, /readyz, /metrics',
  );

  const stop = stopOnce(
    async () => {
      guard.close();
      await closeWithin(started.close(), config.shutdownTimeoutMs, logger, 'worker');
      await server.close();
    },
    { handleSignals: options.handleSignals ?? true, shutdownTimeoutMs: config.shutdownTimeoutMs, logger },
  );
  return { port: server.port, ready: () => started.ready(), stop };
}
