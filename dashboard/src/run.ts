import { Registry, collectDefaultMetrics } from 'prom-client';
import {
  closeWithin,
  createLogger,
  loadConfig,
  startEvictionGuard,
  type LogDestination,
  startRoleServer,
  stopOnce,
} from '@tbe/shared';
import { startDashboard, type Dashboard } from './dashboard.ts';

export interface RunningDashboard {
  /** The role server's port (HTTP_PORT, or the one picked for 0). */
  readonly port: number;
  ready: Dashboard['ready'];
  /** Stops the sweeps, the HTTP server and the connection; within SHUTDOWN_TIMEOUT_MS. */
  stop(): Promise<void>;
}

export interface RunDashboardOptions {
  /** Where the logs go (default stdout); the demo sends them to a file. */
  logDestination?: LogDestination;
  /** Stop on SIGTERM/SIGINT and exit (default true; false when the caller runs several roles). */
  handleSignals?: boolean;
  /** The interface the role server listens on (default every one, as in a container; the demo: loopback). */
  host?: string;
}

/**
 * The dashboard role as a process runs it: configuration (ADMIN_TOKEN is required), Redis, Bull
 * Board and the admin API mounted on the role server beside /healthz, /readyz and /metrics.
 * Throws ConfigError (one line per bad variable) before starting anything.
 */
export async function runDashboard(
  env: Record<string, string | undefined>,
  options: RunDashboardOptions = {},
): Promise<RunningDashboard> {
  const config = loadConfig(env, 'dashboard');
  const logger = createLogger({
    level: config.logLevel,
    role: 'dashboard',
    destination: options.logDestination,
  });
  // Refuses to work (exit 1, one line) on a Redis that evicts keys, checked on every connection.
  const guard = startEvictionGuard(config.redis, logger);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const dashboard = startDashboard({ config, logger, registry });
  const server = await startRoleServer({
    port: config.httpPort,
    host: options.host,
    readiness: () => dashboard.ready(),
    redisState: () => dashboard.redisState(),
    registry,
    extra: dashboard.handler,
  });
  logger.info(
    { port: server.port },
    'dashboard role serving /admin/queues, /api, /healthz, /readyz, /metrics',
  );

  const stop = stopOnce(
    async () => {
      guard.close();
      await server.close();
      // A sweep waiting on an absent Redis must not hold the shutdown: it holds nothing that matters.
      await closeWithin(dashboard.close(), config.shutdownTimeoutMs, logger, 'dashboard');
    },
    { handleSignals: options.handleSignals ?? true, shutdownTimeoutMs: config.shutdownTimeoutMs, logger },
  );
  return { port: server.port, ready: () => dashboard.ready(), stop };
}
