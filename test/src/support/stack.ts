import { Registry } from 'prom-client';
import {
  createKeys,
  createLogger,
  createRedis,
  loadConfig,
  type Config,
  type Keys,
  type Platform,
  type RedisClient,
} from '@tbe/shared';
import { startProducer, type Producer } from '@tbe/producers';
import { startDashboard } from '@tbe/dashboard';
import { startRoleServer } from '@tbe/shared';
import { startWorkerRole, adapterFactory, type WorkerRole } from '@tbe/workers';
import {
  startAllSimulators,
  type CherwellSimulator,
  type SfycSimulator,
  type WmSimulator,
} from '@tbe/simulators';
import { simulatorEnv } from '@tbe/simulators/deployment';
import { deletePrefix, testRedisUrl, uniquePrefix } from './redis.ts';

/**
 * Short timings for tests: retries come back in ms, a stalled job is taken over in a few
 * seconds. Locks and request timeouts keep a margin for a loaded 2-core CI machine.
 */
export const FAST_TIMINGS: Record<string, string> = {
  TBE_LOCK_DURATION_MS: '5000',
  TBE_STALLED_INTERVAL_MS: '2000',
  TBE_LEASE_TTL_MS: '1000',
  TBE_SETTINGS_REFRESH_MS: '200',
  TBE_AUTH_RETRY_MS: '300',
  BACKOFF_BASE_MS: '50',
  BACKOFF_MAX_MS: '1000',
  WM_POLL_INTERVAL_MS: '50',
  CHERWELL_BATCH_WAIT_MS: '20',
  SFYC_BATCH_WAIT_MS: '20',
  CHERWELL_REQUEST_TIMEOUT_MS: '5000',
  SFYC_REQUEST_TIMEOUT_MS: '5000',
  WM_REQUEST_TIMEOUT_MS: '5000',
  // Long polling on, as by default, with a wait the tests' shutdowns do not notice.
  WM_LONG_POLL_S: '2',
  SHUTDOWN_TIMEOUT_MS: '5000',
  LOG_LEVEL: 'silent',
};

export interface Stack {
  prefix: string;
  keys: Keys;
  wm: WmSimulator;
  cherwell: CherwellSimulator;
  sfyc: SfycSimulator;
  /** The environment every role of this stack reads. */
  env: Record<string, string>;
  /** A plain connection for assertions, to the Redis the roles use (any mode, TLS, ACL). */
  redis: RedisClient;
  config(role: 'producer' | 'worker'): Config;
  startProducer(): Producer;
  startWorker(extraEnv?: Record<string, string>): Promise<WorkerRole>;
  /** The dashboard on a free port; `api(path, init)` calls its admin API with the stack's token. */
  startDashboard(): Promise<{ url: string; api: (path: string, init?: RequestInit) => Promise<Response> }>;
  /** Every contract violation any simulator saw. */
  violations(): { simulator: string; kind: string; detail: string }[];
  stop(): Promise<void>;
}

/**
 * The simulators of WM, Cherwell and SFyC on loopback, and the environment of a deployment
 * pointed at them with a unique prefix on the test Redis. Roles start in-process on demand.
 */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const prefix = uniquePrefix('stack');
  const sims = await startAllSimulators();
  const { wm, cherwell, sfyc } = sims;
  const stackEnv: Record<string, string> = {
    ...FAST_TIMINGS,
    REDIS_URL: env.REDIS_URL ?? testRedisUrl(),
    QUEUE_PREFIX: prefix,
    ...simulatorEnv(sims),
    HTTP_PORT: '0',
    ADMIN_TOKEN: 'stack-admin-token-0123456789',
    ...env,
  };
  const redis = createRedis(loadConfig(stackEnv, 'producer').redis, 'worker', 'test-assertions');
  redis.on('error', () => undefined);
  const stoppers: (() => Promise<void>)[] = [];
  const logger = createLogger({ level: stackEnv.LOG_LEVEL ?? 'silent', role: 'test' });
  const config = (role: 'producer' | 'worker'): Config => loadConfig(stackEnv, role);

  return {
    prefix,
    keys: createKeys(prefix),
    wm,
    cherwell,
    sfyc,
    env: stackEnv,
    redis,
    config,
    startProducer() {
      const producerConfig = config('producer');
      const connection = createRedis(producerConfig.redis, 'producer', 'test-producer');
      connection.on('error', () => undefined);
      const producer = startProducer({
        config: producerConfig,
        redis: connection,
        logger,
        registry: new Registry(),
      });
      stoppers.push(async () => {
        await producer.stop();
        connection.disconnect();
      });
      return producer;
    },
    async startWorker(extraEnv = {}) {
      const workerConfig = loadConfig({ ...stackEnv, ...extraEnv }, 'worker');
      const role = await startWorkerRole({
        config: workerConfig,
        logger,
        registry: new Registry(),
        createAdapter: adapterFactory(workerConfig),
      });
      stoppers.push(() => role.close());
      return role;
    },
    async startDashboard() {
      const dashboardConfig = loadConfig(stackEnv, 'dashboard');
      const registry = new Registry();
      const dashboard = startDashboard({
        config: dashboardConfig,
        logger,
        registry,
        retention: { everyMs: 0 },
      });
      const server = await startRoleServer({
        port: 0,
        host: '127.0.0.1',
        readiness: () => dashboard.ready(),
        registry,
        extra: dashboard.handler,
      });
      stoppers.push(async () => {
        await server.close();
        await dashboard.close();
      });
      const url = `http://127.0.0.1:${server.port}`;
      const api = (path: string, init: RequestInit = {}) =>
        fetch(`${url}${path}`, {
          ...init,
          headers: {
            authorization: `Bearer ${stackEnv.ADMIN_TOKEN}`,
            'content-type': 'application/json',
            ...init.headers,
          },
        });
      return { url, api };
    },
    violations() {
      return sims.violations().map(({ simulator, kind, detail }) => ({ simulator, kind, detail }));
    },
    async stop() {
      for (const stop of stoppers.reverse()) await stop();
      await sims.close();
      await deletePrefix(redis, prefix);
      redis.disconnect();
    },
  };
}

export type { Platform };
