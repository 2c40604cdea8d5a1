import type { Logger } from 'pino';

export interface StopOptions {
  /** Stop on SIGTERM/SIGINT and exit: 0 after a clean stop, 1 when it overran the bound. */
  handleSignals: boolean;
  shutdownTimeoutMs: number;
  logger: Logger;
}

/**
 * A role's stop function: runs `stop` once however often it is called, and, when asked, on the
 * first SIGTERM or SIGINT, with `shutdownTimeoutMs` (and a second) as the net under it.
 */
export function stopOnce(stop: () => Promise<void>, options: StopOptions): () => Promise<void> {
  let stopped: Promise<void> | undefined;
  const once = (): Promise<void> => (stopped ??= stop());
  if (options.handleSignals) {
    const onSignal = (signal: NodeJS.Signals): void => {
      options.logger.info({ signal }, 'stopping');
      setTimeout(() => process.exit(1), options.shutdownTimeoutMs + 1000).unref();
      void once().then(() => process.exit(0));
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  return once;
}

/**
 * Waits for `closing` at most `timeoutMs`. What a role leaves unfinished then is not lost: its
 * jobs' locks lapse and other processes take them, exactly as after a kill -9.
 */
export async function closeWithin(
  closing: Promise<void>,
  timeoutMs: number,
  logger: Logger,
  what: string,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), timeoutMs);
  });
  const result = await Promise.race([closing.then(() => 'closed' as const), expired]);
  clearTimeout(timer);
  if (result === 'expired') logger.warn({ timeoutMs }, `${what} shutdown timed out`);
}
