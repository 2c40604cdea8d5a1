import type { SimulatorVariable } from '@tbe/simulators/deployment';

/** Keys of the demo, apart from any deployment's (`tbe` by default) on the same Redis. */
export const DEMO_PREFIX = 'tbe-demo';

/**
 * The key prefix of one demo run: its own Redis holds nothing else, so the plain prefix; on a
 * Redis the operator named, one of this run alone (a previous run's cursor would skip the new
 * simulator's feed, and its keys are not this run's to clear).
 */
export function runPrefix(ownRedis: boolean, nowMs = Date.now()): string {
  return ownRedis ? DEMO_PREFIX : `${DEMO_PREFIX}-${nowMs.toString(36)}`;
}

/**
 * Short timings so that something visibly happens within seconds, failures included: polls
 * every 0.5 s, retries after ~0.5 s, a stop within 3 s. The rest are the production defaults.
 */
const DEMO_TIMINGS: Record<string, string> = {
  WM_POLL_INTERVAL_MS: '500',
  BACKOFF_BASE_MS: '500',
  BACKOFF_MAX_MS: '10000',
  CHERWELL_BATCH_WAIT_MS: '200',
  SFYC_BATCH_WAIT_MS: '200',
  SHUTDOWN_TIMEOUT_MS: '3000',
  TBE_LEASE_TTL_MS: '1000',
  TBE_SETTINGS_REFRESH_MS: '500',
  TBE_AUTH_RETRY_MS: '2000',
};

/**
 * Variables of the operator's environment the demo keeps: where Redis is (when set) and how much
 * it logs. Everything else is the demo's own, so a shell configured for a real deployment
 * cannot point the demo at a real WM, Cherwell or SFyC.
 */
const KEPT = ['REDIS_SENTINELS', 'REDIS_SENTINEL_NAME', 'REDIS_CLUSTER_NODES', 'LOG_LEVEL'] as const;

export interface DemoEnvInput {
  operatorEnv: Record<string, string | undefined>;
  redisUrl: string | undefined;
  simulators: readonly SimulatorVariable[];
  adminToken: string;
  httpPort: number;
  prefix: string;
}

export function demoEnv(input: DemoEnvInput): Record<string, string> {
  const env: Record<string, string> = {
    PATH: input.operatorEnv.PATH ?? '',
    // The logs go to a file (the banner names it): info tells what happened to each batch.
    LOG_LEVEL: 'info',
    ...DEMO_TIMINGS,
  };
  for (const name of KEPT) {
    const value = input.operatorEnv[name];
    if (value) env[name] = value;
  }
  if (input.redisUrl !== undefined) env.REDIS_URL = input.redisUrl;
  for (const { name, value } of input.simulators) env[name] = value;
  env.QUEUE_PREFIX = input.prefix;
  env.ADMIN_TOKEN = input.adminToken;
  env.HTTP_PORT = String(input.httpPort);
  return env;
}
