/** Exponential backoff from `baseMs`, capped at `maxMs`. */
export interface BackoffConfig {
  baseMs: number;
  maxMs: number;
}

/**
 * The delay before try number `failures + 1` (1 after the first failure): exponential from
 * `baseMs`, capped at `maxMs`, with "equal jitter" (half fixed, half random) so that tickets
 * failed by one request, or replicas restarted together, spread out instead of returning
 * together, and the wait never collapses to 0. A `Retry-After` from the platform wins, capped at
 * `maxMs` (operations.md).
 */
export function backoffDelayMs(
  failures: number,
  config: BackoffConfig,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), config.maxMs);
  const exponent = Math.min(Math.max(0, failures - 1), 40);
  const ceiling = Math.min(config.maxMs, config.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
