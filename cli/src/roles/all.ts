import { loadConfig } from '@tbe/shared/config/index';
import type { LogDestination } from '@tbe/shared/logger';
import { runProducer } from '@tbe/producers';
import { runWorker } from '@tbe/workers';
import { runDashboard } from '@tbe/dashboard';
import { CommandError } from '../errors.ts';

export interface RunningAll {
  readonly ports: { dashboard: number; producer: number; worker: number };
  /** Producer and workers first (no new work, in-flight work finished or handed back), the dashboard last. */
  stop(): Promise<void>;
}

export interface RunAllOptions {
  /**
   * Where the producer's and the worker's role servers listen (the dashboard takes HTTP_PORT):
   * `consecutive` = HTTP_PORT+1 and HTTP_PORT+2, predictable for a Prometheus scrape (`run all`);
   * `free` = ports the OS picks, nothing to collide with (the demo).
   */
  sidePorts: 'consecutive' | 'free';
  /** The interface every role server listens on (default every one; the demo: 127.0.0.1). */
  host?: string;
  /** Where every role logs (default stdout). */
  logDestination?: LogDestination;
}

interface StartedRole {
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Producer, workers and dashboard in one process, each with the environment it would have
 * alone except HTTP_PORT. The configuration is checked for all three before anything starts,
 * so a bad one reports every problem once and leaves nothing half-started.
 */
export async function runAll(
  env: Record<string, string | undefined>,
  options: RunAllOptions,
): Promise<RunningAll> {
  const config = loadConfig(env, 'all');
  const base = config.httpPort;
  const side = (offset: number): number =>
    options.sidePorts === 'free' || base === 0 || base + offset > 65_535 ? 0 : base + offset;
  const started: StartedRole[] = [];
  const start = async <T extends StartedRole>(
    what: string,
    port: number,
    run: (e: typeof env) => Promise<T>,
  ): Promise<T> => {
    try {
      const role = await run({ ...env, HTTP_PORT: String(port) });
      started.push(role);
      return role;
    } catch (error) {
      await Promise.allSettled(started.map((role) => role.stop()));
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE')
        throw new CommandError(
          `the ${what}'s port ${port} is in use (run all takes HTTP_PORT to HTTP_PORT+2)`,
        );
      throw error;
    }
  };
  // The dashboard first: its HTTP_PORT is the one operators and health checks know.
  const dashboard = await start('dashboard', base, (e) =>
    runDashboard(e, { handleSignals: false, host: options.host, logDestination: options.logDestination }),
  );
  const producer = await start('producer', side(1), (e) =>
    runProducer(e, { handleSignals: false, host: options.host, logDestination: options.logDestination }),
  );
  const worker = await start('worker', side(2), (e) =>
    runWorker(e, { handleSignals: false, host: options.host, logDestination: options.logDestination }),
  );

  let stopping: Promise<void> | undefined;
  return {
    ports: { dashboard: dashboard.port, producer: producer.port, worker: worker.port },
    stop() {
      stopping ??= (async () => {
        await Promise.all([producer.stop(), worker.stop()]);
        await dashboard.stop();
      })();
      return stopping;
    },
  };
}
