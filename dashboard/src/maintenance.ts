import type { Logger } from '@tbe/shared';

export interface Maintenance {
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

/**
 * Runs housekeeping tasks one after the other, first soon after start, then `everyMs` after each
 * pass ends (never two passes at once). A failing task is logged and the others still run.
 * `everyMs: 0` runs nothing (tests call the tasks themselves).
 */
export function startMaintenance(options: {
  everyMs: number;
  logger: Logger;
  tasks: readonly (() => Promise<unknown>)[];
}): Maintenance {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const pass = async (): Promise<void> => {
    for (const task of options.tasks) {
      if (stopped) return;
      try {
        await task();
      } catch (error) {
        options.logger.warn({ err: error }, 'dashboard maintenance task failed');
      }
    }
  };
  const schedule = (delayMs: number): void => {
    timer = setTimeout(() => {
      running = pass().finally(() => {
        if (!stopped) schedule(options.everyMs);
      });
    }, delayMs);
    timer.unref();
  };
  // A short delay, so that a start does not compete with the first requests.
  if (options.everyMs > 0) schedule(Math.min(1000, options.everyMs));

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
