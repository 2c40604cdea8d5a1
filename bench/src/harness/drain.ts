import { Queue } from 'bullmq';
import { createKeys, platformQueueName, STATUS_QUEUE_NAME } from '@tbe/shared';
import { coresUsed, cpuSnapshot } from '../measure/cpu.ts';
import { waitFor } from '../measure/wait.ts';
import { spawnChild, waitReady, type Child } from './child.ts';
import { withPort } from './env.ts';
import { commandCalls, commandDelta, jobIdsIssued, networkBytes, type BenchRedis } from './redis.ts';
import { mergeTallies, tallyDelta, type Tallies } from './request-log.ts';
import type { Sims } from './sims.ts';

export interface DrainOptions {
  redis: BenchRedis;
  sims: Sims;
  prefix: string;
  /** The role environment (roleEnv). */
  env: Record<string, string>;
  /** Worker processes to start. */
  processes?: number | undefined;
  /** Node flags for the worker processes (a CPU profile). */
  nodeArgs?: string[] | undefined;
}

export interface DrainResult {
  ms: number;
  /** When the switch went on (epoch ms; of the first, for several drains added up). */
  startedAt: number;
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

export interface DrainWorkers {
  /**
   * Switches processing on, waits until `doneAt` answers the time the drain ended (epoch ms;
   * polled after each request tally), and switches it off again.
   */
  drain(doneAt: () => number | undefined, timeoutMs: number): Promise<DrainResult>;
  stop(): Promise<void>;
}

/**
 * Worker processes for timing the drain of a backlog that is already queued. They start with
 * processing switched off (the product's switch: BullMQ's pause flag on the platform queue),
 * so their start-up (tsx, Redis, token, Cherwell ids) is not timed; once every one answers
 * /readyz, each `drain` turns the switch on and starts the clock.
 */
export async function startDrainWorkers(options: DrainOptions): Promise<DrainWorkers> {
  const { redis, sims, prefix } = options;
  const keys = createKeys(prefix);
  const queue = new Queue(platformQueueName(sims.platform), {
    connection: redis.client,
    prefix: keys.platformPrefix(sims.platform),
  });
  await queue.pause();
  const workers: Child[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await queue.close();
  };
  try {
    for (let i = 0; i < (options.processes ?? 1); i++) {
      const { env, port } = await withPort(options.env);
      const child = spawnChild('worker', env, { nodeArgs: options.nodeArgs });
      workers.push(child);
      await waitReady(child, port);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const ids = async () => ({
    platform: await jobIdsIssued(
      redis.client,
      keys.platformPrefix(sims.platform),
      platformQueueName(sims.platform),
    ),
    status: await jobIdsIssued(redis.client, keys.wmPrefix(), STATUS_QUEUE_NAME),
  });
  const snapshot = async () => {
    sims.log.collect();
    return {
      tallies: sims.log.snapshot(),
      commands: await commandCalls(redis.client),
      ids: await ids(),
      bytes: await networkBytes(redis.client),
      cpu: await cpuSnapshot(
        redis.client,
        workers.map((w) => w.pid),
      ),
    };
  };
  return {
    stop,
    async drain(doneAt, timeoutMs) {
      const before = await snapshot();
      const startedAt = Date.now();
      await queue.resume();
      const endedAt = await waitFor(
        () => {
          sims.log.collect();
          return doneAt();
        },
        'the drain to finish',
        timeoutMs,
        20,
      );
      const after = await snapshot();
      await queue.pause();
      return {
        ms: endedAt - startedAt,
        startedAt,
        commands: commandDelta(before.commands, after.commands),
        jobIds: {
          platform: after.ids.platform - before.ids.platform,
          status: after.ids.status - before.ids.status,
        },
        tallies: tallyDelta(before.tallies, after.tallies),
        redisBytes: {
          input: after.bytes.input - before.bytes.input,
          output: after.bytes.output - before.bytes.output,
        },
        cores: coresUsed(before.cpu, after.cpu),
      };
    },
  };
}

/** Starts workers, times one drain, stops them. */
export async function drainWithWorkers(
  options: DrainOptions & { doneAt: () => number | undefined; timeoutMs: number },
): Promise<DrainResult> {
  const workers = await startDrainWorkers(options);
  try {
    return await workers.drain(options.doneAt, options.timeoutMs);
  } finally {
    await workers.stop();
  }
}

/** Several drains as one: times, counts and bytes added up, cores weighted by time. */
export function sumDrains(drains: readonly DrainResult[]): DrainResult {
  const ms = drains.reduce((sum, d) => sum + d.ms, 0);
  const add = <K extends string>(a: Record<K, number>, b: Record<K, number>): Record<K, number> =>
    Object.fromEntries(Object.keys(a).map((key) => [key, a[key as K] + b[key as K]])) as Record<K, number>;
  const commands = new Map<string, number>();
  for (const d of drains)
    for (const [name, calls] of d.commands) commands.set(name, (commands.get(name) ?? 0) + calls);
  const tallies = mergeTallies(drains.map((d) => d.tallies));
  const weighted = (pick: (c: DrainResult['cores']) => number): number =>
    Number((drains.reduce((sum, d) => sum + pick(d.cores) * d.ms, 0) / ms).toFixed(2));
  return {
    ms,
    startedAt: Math.min(...drains.map((d) => d.startedAt)),
    commands,
    tallies,
    jobIds: drains.map((d) => d.jobIds).reduce(add, { platform: 0, status: 0 }),
    redisBytes: drains.map((d) => d.redisBytes).reduce(add, { input: 0, output: 0 }),
    cores: {
      workers: weighted((c) => c.workers),
      redis: weighted((c) => c.redis),
      benchAndSimulators: weighted((c) => c.benchAndSimulators),
    },
  };
}
