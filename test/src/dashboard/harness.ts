import type { Queue, Worker } from 'bullmq';
import {
  createKeys,
  createLogger,
  createRedis,
  loadConfig,
  OverviewStore,
  startRoleServer,
  ticketJobId,
  type Config,
  type DeadLetter,
  type Keys,
  type Platform,
  type RedisClient,
  type RoleServer,
} from '@tbe/shared';
import {
  Registry,
  startDashboard,
  type Dashboard,
  type DashboardOptions,
  type DeadLetterItem,
  type FieldProblem,
  type Status,
  type TicketListItem,
  type TicketOnPlatform,
} from '@tbe/dashboard';
import { moveToDeadLetters, startDeadLetterWorker } from '@tbe/workers';
import { createWorkerMetrics } from '@tbe/workers/runtime/metrics';
import { deletePrefix, testRedis, testRedisUrl, uniquePrefix, waitFor } from '../index.ts';

export const TOKEN = 'test-admin-token-0123456789';

/** An answer of the admin API; `T` is what the test expects the body to be. */
export interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ErrorBody {
  error: { code: string; message: string; fields?: FieldProblem[] };
}
export interface Page<T> {
  items: T[];
  next: string | null;
}
export interface TicketBody {
  ticketId: string;
  platforms: Partial<Record<Platform, TicketOnPlatform>>;
}
export type { Status, DeadLetterItem, TicketListItem };

/** The paths of a 400's fields, sorted. */
export const fieldPaths = (answer: Answer<ErrorBody>): string[] =>
  (answer.body.error.fields ?? []).map((field) => field.path).sort();

/** One test's dashboard: its own key prefix, served on a loopback port; `close()` in afterEach. */
export interface DashboardHarness {
  url: string;
  prefix: string;
  keys: Keys;
  config: Config;
  redis: ReturnType<typeof testRedis>;
  dashboard: Dashboard;
  registry: Registry;
  overview: OverviewStore;
  queue(name: string): Queue;
  /** A call of the admin API with the token (or `token: null` for none). */
  api<T = ErrorBody>(
    method: string,
    path: string,
    body?: unknown,
    options?: { token?: string | null; headers?: Record<string, string> },
  ): Promise<Answer<T>>;
  /** A dead letter parked exactly as the worker parks one; answers its id. */
  park(deadLetter: DeadLetter): Promise<string>;
  /** The worker role's dead-letter worker for a platform (closed by `close()`). */
  startDeadLetterWorker(platform: Platform): Worker;
  close(): Promise<void>;
}

export async function startDashboardHarness(
  env: Record<string, string> = {},
  options: Partial<Pick<DashboardOptions, 'now' | 'retention'>> = {},
): Promise<DashboardHarness> {
  const prefix = uniquePrefix('dash');
  const keys = createKeys(prefix);
  const fullEnv = {
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: prefix,
    ADMIN_TOKEN: TOKEN,
    LOG_LEVEL: 'silent',
    TBE_SETTINGS_REFRESH_MS: '100',
    ...env,
  };
  const config = loadConfig(fullEnv, 'dashboard');
  const logger = createLogger({ level: config.logLevel, role: 'dashboard' });
  const registry = new Registry();
  // No background maintenance unless a test asks: tests run the sweep themselves.
  const dashboard = startDashboard({ config, logger, registry, retention: { everyMs: 0 }, ...options });
  const server: RoleServer = await startRoleServer({
    port: 0,
    host: '127.0.0.1',
    readiness: () => dashboard.ready(),
    registry,
    extra: dashboard.handler,
  });
  const url = `http://127.0.0.1:${server.port}`;
  const redis = testRedis(fullEnv.REDIS_URL);
  redis.on('error', () => undefined);
  const overview = new OverviewStore(redis, keys);
  const queue = (name: string): Queue => {
    const found = dashboard.context.queues.find(({ spec }) => spec.name === name);
    if (!found) throw new Error(`no queue ${name}`);
    return found.queue;
  };
  const workerConnection: RedisClient = createRedis(config.redis, 'worker', 'test-dead-letters');
  workerConnection.on('error', () => undefined);
  const workers: Worker[] = [];
  await waitFor(async () => (await dashboard.ready()).ready, { what: 'dashboard ready' });

  return {
    url,
    prefix,
    keys,
    config,
    redis,
    dashboard,
    registry,
    overview,
    queue,
    async api<T>(
      method: string,
      path: string,
      body?: unknown,
      { token = TOKEN, headers = {} }: { token?: string | null; headers?: Record<string, string> } = {},
    ) {
      const response = await fetch(url + path, {
        method,
        headers: {
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: (text === '' ? undefined : JSON.parse(text)) as T,
        headers: response.headers,
      };
    },
    async park(deadLetter) {
      const { spec, queue: deadLetters } = dashboard.context.deadLetterQueue(deadLetter.platform);
      await overview.transition([
        {
          platform: deadLetter.platform,
          ticketId: deadLetter.ticketId,
          state: 'error',
          fields: { deadOperation: deadLetter.operation, lastError: JSON.stringify(deadLetter.lastError) },
          event: { event: 'error', version: deadLetter.version, detail: deadLetter.lastError.code },
        },
      ]);
      const metrics = createWorkerMetrics(new Registry());
      await moveToDeadLetters({ redis, deadLetters, deadLetterSpec: spec, metrics, logger }, [deadLetter]);
      return ticketJobId(deadLetter.ticketId);
    },
    startDeadLetterWorker(platform) {
      const ctx = dashboard.context;
      const worker = startDeadLetterWorker({
        platform,
        overview: ctx.overview,
        queueOf: (ticketId) => ctx.queueOfTicket(platform, ticketId),
        maxRetries: () => Promise.resolve(3),
        connection: workerConnection,
        deadLetterSpec: ctx.deadLetterQueue(platform).spec,
        timings: config.timings,
        logger,
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await server.close();
      await dashboard.close();
      await deletePrefix(redis, prefix);
      workerConnection.disconnect();
      redis.disconnect();
    },
  };
}

/** A dead letter as the worker writes one. */
export function deadLetter(ticketId: string, platform: Platform = 'cherwell'): DeadLetter {
  const at = new Date().toISOString();
  return {
    ticketId,
    platform,
    operation: 'create',
    version: 3,
    attempts: 4,
    lastError: { code: 'HTTP_503', message: 'Service Unavailable' },
    errors: [1, 2, 3, 4].map((attempt) => ({
      attempt,
      at,
      code: 'HTTP_503',
      message: 'Service Unavailable',
    })),
    deadAt: at,
  };
}

/** Basic-auth header value with the token as the password. */
export const basic = (password: string, user = 'operator'): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
