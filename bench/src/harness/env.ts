import { freePort } from '../../../test/src/setup/redis-server.ts';
import type { Sims } from './sims.ts';

/** The product's own batching knobs, set through its environment (operations.md). */
export interface Knobs {
  maxTicketsPerRequest: number;
  maxInFlight: number;
  batchWaitMs: number;
}

/** The product defaults. */
export const DEFAULT_KNOBS: Knobs = { maxTicketsPerRequest: 50, maxInFlight: 4, batchWaitMs: 100 };

/**
 * The environment of every role of one benchmark deployment. Production defaults except:
 * logs at `warn` (one info line per platform request would be measured too), processing
 * switched off at first start (a drain begins with the switch, see drain.ts), and the
 * settings refresh at 100 ms instead of 1 s so that a worker sees the switch turned on at once
 * instead of handing jobs back for up to a second.
 */
export function roleEnv(
  redisUrl: string,
  prefix: string,
  sims: Sims,
  knobs: Knobs,
  extra: Record<string, string> = {},
): Record<string, string> {
  const p = sims.platform.toUpperCase();
  return {
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    ...sims.env(),
    WORKER_PLATFORMS: sims.platform,
    LOG_LEVEL: 'warn',
    TICKET_PROCESSING: 'disabled',
    TBE_SETTINGS_REFRESH_MS: '100',
    SHUTDOWN_TIMEOUT_MS: '10000',
    [`${p}_MAX_TICKETS_PER_REQUEST`]: String(knobs.maxTicketsPerRequest),
    [`${p}_MAX_IN_FLIGHT`]: String(knobs.maxInFlight),
    [`${p}_BATCH_WAIT_MS`]: String(knobs.batchWaitMs),
    ...extra,
  };
}

/** A role env with an HTTP port of its own (for /readyz). */
export async function withPort(
  env: Record<string, string>,
): Promise<{ env: Record<string, string>; port: number }> {
  const port = await freePort();
  return { env: { ...env, HTTP_PORT: String(port) }, port };
}
