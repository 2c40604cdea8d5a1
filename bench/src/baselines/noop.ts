import { Queue } from 'bullmq';
import { spawnChild } from '../harness/child.ts';
import { commandCalls, commandDelta, topCommands, totalCalls, type BenchRedis } from '../harness/redis.ts';
import { coresUsed, cpuSnapshot } from '../measure/cpu.ts';

export interface NoopResult {
  jobsPerSec: number;
  ms: number;
  commandsPerJob: number;
  /** Every command by name, per job (what a plain BullMQ job costs, to set the product's against). */
  commandsPerJobByName: Record<string, number>;
  cores: ReturnType<typeof coresUsed>;
  workerCpuMsPerJob: number;
}

/**
 * A plain BullMQ worker with a no-op processor over `jobs` queued jobs (payload `{ ticketId }`,
 * removed on completion, as the product's platform jobs), at the product worker's concurrency.
 * Timed like the product: from the switch (queue resumed) to the last completion.
 */
export async function runNoopBaseline(
  redis: BenchRedis,
  jobs: number,
  concurrency: number,
  label: string,
): Promise<NoopResult> {
  const prefix = `noop-${label}`;
  const queue = new Queue('noop', { connection: redis.client, prefix });
  try {
    await queue.pause();
    for (let start = 0; start < jobs; start += 1000) {
      const size = Math.min(1000, jobs - start);
      await queue.addBulk(
        Array.from({ length: size }, (_, i) => ({
          name: 'ticket',
          data: { ticketId: `WM-${start + i}` },
          opts: { removeOnComplete: true },
        })),
      );
    }
    const child = spawnChild('noop', {
      REDIS_URL: redis.url,
      NOOP_PREFIX: prefix,
      NOOP_QUEUE: 'noop',
      NOOP_CONCURRENCY: String(concurrency),
      NOOP_JOBS: String(jobs),
    });
    try {
      await child.waitForMessage('ready', 30_000);
      const before = await commandCalls(redis.client);
      const cpu = await cpuSnapshot(redis.client, [child.pid]);
      const startedAt = Date.now();
      await queue.resume();
      const done = await child.waitForMessage('done', 600_000);
      const cpuAfter = await cpuSnapshot(redis.client, [child.pid]);
      const delta = commandDelta(before, await commandCalls(redis.client));
      const ms = Number(done.lastAt) - startedAt;
      const cores = coresUsed(cpu, cpuAfter);
      return {
        jobsPerSec: (jobs / ms) * 1000,
        ms,
        commandsPerJob: totalCalls(delta) / jobs,
        commandsPerJobByName: topCommands(delta, jobs, Number.POSITIVE_INFINITY),
        cores,
        workerCpuMsPerJob: Number(((cores.workers * ms) / jobs).toFixed(4)),
      };
    } finally {
      await child.stop();
    }
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
  }
}
