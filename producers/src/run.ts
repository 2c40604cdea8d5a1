import { Registry, collectDefaultMetrics } from 'prom-client';
import {
  createLogger,
  createRedis,
  loadConfig,
  logRedisErrors,
  probeRedis,
  startEvictionGuard,
  type LogDestination,
  startRoleServer,
  stopOnce,
} from '@tbe/shared';
import { startProducer } from './producer.ts';

export interface RunningProducer {
  /** The role server's port (HTTP_PORT, or the one picked for 0). */
  readonly port: number;
  isLeader(): boolean;
  /** Stops the producer, the HTTP server and the connection; within SHUTDOWN_TIMEOUT_MS. */
  stop(): Promise<void>;
}

export interface RunOptions {
  /** Where the logs go (default stdout); the demo sends them to a file. */
  logDestination?: LogDestination;
  /** Stop on SIGTERM/SIGINT and exit (default true; false when the caller runs several roles). */
  handleSignals?: boolean;
  /** The interface the role server listens on (default every one, as in a container; the demo: loopback). */
  host?: string;
}

/**
 * The producer role as a process runs it: configuration, Redis, the producer, the role server
 * (/healthz, /readyz, /metrics). Throws ConfigError (one line per bad variable) before starting anything.
 */
export async function runProducer(
  env: Record<string, string | undefined>,
  options: RunOptions = {},
): Promise<RunningProducer> {
  const config = loadConfig(env, 'producer');
  const logger = createLogger({
    level: config.logLevel,
    role: 'producer',
    destination: options.logDestination,
  });
  const redis = createRedis(config.redis, 'producer', 'tbe-producer');
  // ioredis reconnects by itself; without a listener each failed attempt would print a stack.
  logRedisErrors(redis, logger);
  // Refuses to work (exit 1, one line) on a Redis that evicts keys, checked on every connection.
  const guard = startEvictionGuard(config.redis, logger);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const producer = startProducer({ config, redis, logger, registry });
  const server = await startRoleServer({
    port: config.httpPort,
    host: options.host,
    readiness: () => producer.ready(),
    redisState: () => probeRedis(redis),
    registry,
  });
  logger.info({ port: server.port }, 'producer role serving /healthz, /readyz, /metrics');

  // The producer bounds its own stop by SHUTDOWN_TIMEOUT_MS.
  const stop = stopOnce(
    async () => {
      guard.close();
      await producer.stop();
      await server.close();
      redis.disconnect();
    },
    { handleSignals: options.handleSignals ?? true, shutdownTimeoutMs: config.shutdownTimeoutMs, logger },
  );
  return { port: server.port, isLeader: () => producer.isLeader(), stop };
}
