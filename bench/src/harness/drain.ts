import { Queue } from 'bullmq';
import { createKeys, platformQueueName, STATUS_QUEUE_NAME } from '@tbe/shared';
import { waitFor } from '../measure/wait.ts';
import { spawnChild, waitReady, type Child } from './child.ts';
import { withPort } from './env.ts';
import { coresUsed, cpuSnapshot } from '../measure/cpu.ts';
import { commandCalls, commandDelta, jobIdsIssued, networkBytes, type BenchRedis } from './redis.ts';
import { tallyDelta, type Tallies } from './request-log.ts';
import type { Sims } from './sims.ts';

export interface DrainOptions {
  redis: BenchRedis;
  sims: Sims;
  prefix: string;
  /** The role environment (roleEnv). */
  env: Record<string, string>;
  /** Worker processes to start. */
  processes?: number;
  /** Node flags for the worker processes (a CPU profile). */
  nodeArgs?: string[];
  /** The drain is over when this answers the time it ended (epoch ms); polled after each request tally. */
  doneAt: () => number | undefined;
  timeoutMs: number;
}

export interface DrainResult {
  ms: number;
  startedAt: number;
  endedAt: number;
  /** Redis commands between the switch and the end, by name. */
  commands: Map<string, number>;
  /** BullMQ job ids issued per queue during the drain. */
  jobIds: { platform: number; status: number };
  /** Simulator requests during the drain. */
  tallies: Tallies;
  /** Bytes clients sent Redis and Redis sent back. */
  redisBytes: { input: number; output: number };
  /** Cores used on average by the worker processes, redis-server, and this process (simulators). */
  cores: ReturnType<typeof coresUsed>;
}

/**
 * Times a worker draining a backlog that is already queued. The workers start with processing
 * switched off (the product's switch: BullMQ's pause flag on the platform queue), so their
 * start-up (tsx, Redis, token, Cherwell ids) is not timed; once every one answers /readyz the
 * switch goes on and the clock starts. It stops when `doneAt` says so.
 */
export async function drainWithWorkers(options: DrainOptions): Promise<DrainResult> {
  const { redis, sims, prefix } = options;
  const keys = createKeys(prefix);
  const queue = new Queue(platformQueueName(sims.platform), { connection: redis.client, prefix: keys.platformPrefix(sims.platform) });
  await queue.pause();
  const workers: Child[] = [];
  try {
    for (let i = 0; i < (options.processes ?? 1); i++) {
      const { env, port } = await withPort(options.env);
      const child = spawnChild('worker', env, { nodeArgs: options.nodeArgs });
      workers.push(child);
      await waitReady(child, port);
    }
    const ids = async () => ({
      platform: await jobIdsIssued(redis.client, keys.platformPrefix(sims.platform), platformQueueName(sims.platform)),
      status: await jobIdsIssued(redis.client, keys.wmPrefix(), STATUS_QUEUE_NAME),
    });
    sims.log.collect();
    const tallies = sims.log.snapshot();
    const [commands, idsBefore, bytes] = [await commandCalls(redis.client), await ids(), await networkBytes(redis.client)];
    const cpu = await cpuSnapshot(redis.client, workers.map((w) => w.pid));
    const startedAt = Date.now();
    await queue.resume();
    const endedAt = await waitFor(
      () => {
        sims.log.collect();
        return options.doneAt();
      },
      'the drain to finish',
      options.timeoutMs,
      20,
    );
    const cpuAfter = await cpuSnapshot(redis.client, workers.map((w) => w.pid));
    const [commandsAfter, idsAfter, bytesAfter] = [await commandCalls(redis.client), await ids(), await networkBytes(redis.client)];
    return {
      ms: endedAt - startedAt,
      startedAt,
      endedAt,
      commands: commandDelta(commands, commandsAfter),
      jobIds: { platform: idsAfter.platform - idsBefore.platform, status: idsAfter.status - idsBefore.status },
      tallies: tallyDelta(tallies, sims.log.snapshot()),
      redisBytes: { input: bytesAfter.input - bytes.input, output: bytesAfter.output - bytes.output },
      cores: coresUsed(cpu, cpuAfter),
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    await queue.close();
  }
}
