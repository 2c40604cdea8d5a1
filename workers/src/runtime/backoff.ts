export interface BackoffConfig {
  baseMs: number;
  maxMs: number;
}

/**
 * The delay before retry number `attemptsMade` (1 after the first failure): exponential from
 * `baseMs`, capped at `maxMs`, with "equal jitter" (half fixed, half random) so that tickets
 * failed by one request spread out instead of returning together. A `Retry-After` from the
 * platform wins, capped at `maxMs` (operations.md).
 */
export function backoffDelayMs(
  attemptsMade: number,
  config: BackoffConfig,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), config.maxMs);
  const exponent = Math.max(0, attemptsMade - 1);
  const ceiling = Math.min(config.maxMs, config.baseMs * 2 ** Math.min(exponent, 40));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
