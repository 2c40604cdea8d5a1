/**
 * The wait before the next try after `failures` consecutive failed polls (1, 2, ...):
 * exponential from `baseMs`, capped at `maxMs`, with "equal jitter" (half fixed, half random)
 * so that replicas restarted together do not poll in lockstep and the wait never collapses to 0.
 */
export function backoffMs(
  failures: number,
  options: { baseMs: number; maxMs: number },
  random = Math.random,
): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
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
