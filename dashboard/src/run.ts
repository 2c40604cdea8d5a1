import { Registry, collectDefaultMetrics } from 'prom-client';
import { createLogger, loadConfig, startRoleServer, type Logger } from '@tbe/shared';
import { startDashboard, type Dashboard } from './dashboard.ts';

export interface RunningDashboard {
  /** The role server's port (HTTP_PORT, or the one picked for 0). */
  readonly port: number;
  ready: Dashboard['ready'];
  /** Stops the sweeps, the HTTP server and the connection; within SHUTDOWN_TIMEOUT_MS. */
  stop(): Promise<void>;
}

export interface RunDashboardOptions {
  /** Stop on SIGTERM/SIGINT and exit (default true; false when the caller runs several roles). */
  handleSignals?: boolean;
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
  const logger = createLogger({ level: config.logLevel, role: 'dashboard' });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const dashboard = startDashboard({ config, logger, registry });
  const server = await startRoleServer({
    port: config.httpPort,
    readiness: () => dashboard.ready(),
    registry,
    extra: dashboard.handler,
  });
  logger.info(
    { port: server.port },
    'dashboard role serving /admin/queues, /api, /healthz, /readyz, /metrics',
  );

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await server.close();
      await withTimeout(dashboard.close(), config.shutdownTimeoutMs, logger);
    })();
    return stopped;
  };
  if (options.handleSignals ?? true) {
    const onSignal = (signal: NodeJS.Signals): void => {
      logger.info({ signal }, 'stopping');
      setTimeout(() => process.exit(1), config.shutdownTimeoutMs + 1000).unref();
      void stop().then(() => process.exit(0));
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  return { port: server.port, ready: () => dashboard.ready(), stop };
}

/** A sweep waiting on an absent Redis must not hold the shutdown: it holds nothing that matters. */
async function withTimeout(closing: Promise<void>, timeoutMs: number, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), timeoutMs);
  });
  const result = await Promise.race([closing.then(() => 'closed' as const), expired]);
  clearTimeout(timer);
  if (result === 'expired') logger.warn({ timeoutMs }, 'dashboard shutdown timed out');
}
