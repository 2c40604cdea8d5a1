import { hostname } from 'node:os';
import { classify, type Logger, type Platform, type RedisClient, sleep } from '@tbe/shared';
import type { PlatformAdapter } from '../platform/adapter.ts';
import type { WorkerMetrics } from './metrics.ts';

/**
 * Runs the adapter's one-time preparation until it succeeds (credentials may be fixed later) or
 * `signal` aborts; answers whether it succeeded.
 */
export async function prepareAdapter(
  adapter: PlatformAdapter,
  retryMs: number,
  logger: Logger,
  signal: AbortSignal,
): Promise<boolean> {
  while (!signal.aborted) {
    try {
      await adapter.init();
      logger.info('platform ready');
      return true;
    } catch (error) {
      // A passing fault of the platform (5xx, timeout) is a warning: it is tried again and costs
      // nothing; refused credentials or a setup the platform does not have need an operator.
      const verdict = classify(error);
      const level = verdict.disposition === 'retry' && verdict.code !== 'INTERNAL' ? 'warn' : 'error';
      logger[level](
        { err: { code: verdict.code, message: verdict.message }, auth: adapter.authState() },
        'platform not ready; trying again',
      );
      await sleep(retryMs, signal);
    }
  }
  return false;
}

interface AuthStateOptions {
  adapter: PlatformAdapter;
  redis: RedisClient;
  key: string;
  workerId: string | undefined;
  metrics: WorkerMetrics;
  platform: Platform;
  everyMs: number;
}

/**
 * Publishes this process's auth state of a platform (a field of a hash with the time, so the
 * dashboard can ignore processes that stopped) and the metric. Returns the stop function.
 */
export function keepAuthState(options: AuthStateOptions): () => void {
  const workerId = options.workerId ?? `${hostname()}:${process.pid}`;
  const publish = (): void => {
    const state = options.adapter.authState();
    options.metrics.authOk.set(
      { platform: options.platform },
      state === 'ok' ? 1 : state === 'failed' ? 0 : -1,
    );
    void options.redis
      .hset(options.key, workerId, JSON.stringify({ state, atMs: Date.now() }))
      .catch(() => undefined);
  };
  publish();
  const timer = setInterval(publish, options.everyMs);
  return () => {
    clearInterval(timer);
    void options.redis.hdel(options.key, workerId).catch(() => undefined);
  };
}
