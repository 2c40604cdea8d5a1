import { Queue } from 'bullmq';
import {
  createKeys,
  deadLetterQueueName,
  OverviewStore,
  queueCatalogue,
  SettingsStore,
  TicketRecords,
  TicketStore,
  type Config,
  type Keys,
  type Logger,
  type Part,
  type Platform,
  type QueueSpec,
  type RedisClient,
} from '@tbe/shared';
import { QuarantineStore } from '@tbe/shared/store/quarantine';

export interface OpenQueue {
  spec: QueueSpec;
  queue: Queue;
}

/** What every dashboard part reads and commands: the stores and every queue of the catalogue. */
export interface DashboardContext {
  config: Config;
  redis: RedisClient;
  keys: Keys;
  logger: Logger;
  /** Every queue of the catalogue, in catalogue order (Bull Board shows them so). */
  queues: OpenQueue[];
  /** The platform's partition queues (one, named after it, with QUEUE_PARTITIONS=1). */
  platformQueues(platform: Platform): OpenQueue[];
  /** The partition of a ticket seen before (the first one when unknown) and its queue. */
  queueOfTicket(platform: Platform, ticketId: string): Promise<{ part: Part; queue: Queue }>;
  /** Every ticket's keys, by its partition. */
  records: TicketRecords;
  /** Every ticket's stored WM version (whichever release wrote it). */
  tickets: TicketStore;
  deadLetterQueue(platform: Platform): OpenQueue;
  overview: OverviewStore;
  settings: SettingsStore;
  quarantine: QuarantineStore;
  /** ms epoch; injectable so that tests move time (retention, auth freshness). */
  now(): number;
}

export function createContext(options: {
  config: Config;
  redis: RedisClient;
  logger: Logger;
  now?: () => number;
}): DashboardContext {
  const { config, redis } = options;
  const keys = createKeys(config.queuePrefix);
  // One connection for all: a Queue never blocks, and the connection is a `worker` one, so a
  // command waits out a Redis restart instead of failing.
  const records = new TicketRecords(redis, keys, config.queuePartitions);
  const queues = queueCatalogue(keys, config.queuePartitions).map((spec) => {
    const queue = new Queue(spec.name, {
      connection: redis,
      prefix: spec.prefix,
      defaultJobOptions: spec.jobOptions,
    });
    // Connection trouble is logged once by the connection's owner; without a listener BullMQ
    // would print every failed write of a dying socket to stderr (ioredis resends them).
    queue.on('error', (error) => options.logger.debug({ err: error, queue: spec.name }, 'queue error'));
    return { spec, queue };
  });
  const byName = (name: string): OpenQueue => {
    const found = queues.find((entry) => entry.spec.name === name);
    if (!found) throw new Error(`queue ${name} is not open`);
    return found;
  };
  return {
    config,
    redis,
    keys,
    logger: options.logger,
    queues,
    platformQueues: (platform) => records.parts(platform).map(byName),
    async queueOfTicket(platform, ticketId) {
      const part = (await records.partOf(platform, ticketId)) ?? records.parts(platform)[0]!;
      return { part, queue: byName(part).queue };
    },
    records,
    tickets: new TicketStore(redis, keys),
    deadLetterQueue: (platform) => byName(deadLetterQueueName(platform)),
    overview: new OverviewStore(redis, keys),
    settings: new SettingsStore(redis, keys),
    quarantine: new QuarantineStore(redis, keys),
    now: options.now ?? Date.now,
  };
}
