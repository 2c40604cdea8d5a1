import { Queue } from 'bullmq';
import {
  heldReceivedEvents,
  createKeys,
  createLogger,
  createRedis,
  loadConfig,
  PLATFORMS,
  TicketStore,
  type Config,
  type Keys,
  type Platform,
  type RedisClient,
} from '@tbe/shared';
import { Registry, startProducer, type Producer } from '@tbe/producers';
import { startWmSimulator, type WmSimulator, type WmSimulatorOptions } from '@tbe/simulators';
import { deletePrefix, testRedis, testRedisUrl, uniquePrefix, waitFor } from '../index.ts';

/** Short timings so that faults, backoff and the lease play out in milliseconds. */
export const FAST_ENV: Record<string, string> = {
  WM_POLL_INTERVAL_MS: '50',
  WM_REQUEST_TIMEOUT_MS: '400',
  // Plain polling, as these timings assume (long polling has its own tests, long-poll.test.ts).
  WM_LONG_POLL_S: '0',
  BACKOFF_BASE_MS: '20',
  BACKOFF_MAX_MS: '200',
  TBE_LEASE_TTL_MS: '600',
  SHUTDOWN_TIMEOUT_MS: '3000',
  LOG_LEVEL: 'silent',
};

export interface RunningTestProducer {
  producer: Producer;
  registry: Registry;
  redis: RedisClient;
  /** The producer's warnings and errors (JSON lines), kept in memory. */
  logs: string[];
  /** The value of one sample of a metric, 0 when absent. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  stop(): Promise<void>;
}

/** One test's world: its own WM simulator, key prefix and producers; `close()` in afterEach. */
export interface Harness {
  sim: WmSimulator;
  prefix: string;
  keys: Keys;
  redis: ReturnType<typeof testRedis>;
  tickets: TicketStore;
  queues: Record<Platform, Queue>;
  env: Record<string, string>;
  config: Config;
  /** `cursorCopies`: copy the cursor into the partitions' tags as on a Cluster (cursor-copies.test.ts). */
  startProducer(options?: { cursorCopies?: boolean }): RunningTestProducer;
  cursor(): Promise<string | null>;
  /** Waits until the stored cursor names the simulator's newest change: everything before is queued. */
  caughtUp(timeoutMs?: number): Promise<void>;
  waiting(platform: Platform): Promise<number>;
  /** How many `received` events the overview holds for the ticket: one per time it was queued. */
  receivedEvents(platform: Platform, ticketId: string): Promise<number>;
  close(): Promise<void>;
}

export async function startHarness(
  env: Record<string, string> = {},
  simOptions: WmSimulatorOptions = {},
): Promise<Harness> {
  const sim = await startWmSimulator(simOptions);
  const prefix = uniquePrefix('producer');
  const keys = createKeys(prefix);
  const fullEnv = { ...FAST_ENV, REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix, WM_URL: sim.url, ...env };
  const redis = testRedis(fullEnv.REDIS_URL);
  const config = loadConfig(fullEnv, 'producer');
  const queues = Object.fromEntries(
    PLATFORMS.map((platform) => [
      platform,
      new Queue(platform, { connection: redis, prefix: keys.platformPrefix(platform) }),
    ]),
  ) as Record<Platform, Queue>;
  const running: RunningTestProducer[] = [];
  const cursor = () => redis.get(keys.producer('cursor'));

  return {
    sim,
    prefix,
    keys,
    redis,
    tickets: new TicketStore(redis, keys),
    queues,
    env: fullEnv,
    config,
    cursor,
    startProducer(options = {}) {
      const producerRedis = createRedis(config.redis, 'producer');
      producerRedis.on('error', () => undefined);
      const registry = new Registry();
      const logs: string[] = [];
      const logger = createLogger({
        level: 'warn',
        role: 'producer',
        destination: { write: (line: string) => void logs.push(line) },
      });
      const producer = startProducer({ config, redis: producerRedis, logger, registry, ...options });
      const handle: RunningTestProducer = {
        producer,
        registry,
        redis: producerRedis,
        logs,
        async metric(name, labels = {}) {
          const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
          const found = values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
          return found?.value ?? 0;
        },
        async stop() {
          await producer.stop();
          producerRedis.disconnect();
        },
      };
      running.push(handle);
      return handle;
    },
    async caughtUp(timeoutMs = 10_000) {
      const last = String(sim.lastSeq());
      await waitFor(async () => (await cursor()) === last, { timeoutMs, what: `cursor ${last}` });
    },
    waiting: (platform) => queues[platform].getWaitingCount(),
    async receivedEvents(platform, ticketId) {
      // Held in the state hash while the ticket waits, then moved into the history list.
      const held = heldReceivedEvents(
        (await redis.hget(keys.state(platform, ticketId), 'received')) ?? undefined,
      );
      const events = await redis.lrange(keys.history(platform, ticketId), 0, -1);
      const listed = events.filter((json) => (JSON.parse(json) as { event: string }).event === 'received');
      return held.length + listed.length;
    },
    async close() {
      await Promise.all(running.map((handle) => handle.stop()));
      await Promise.all(Object.values(queues).map((queue) => queue.close()));
      await sim.close();
      await deletePrefix(redis, prefix);
      redis.disconnect();
    },
  };
}
