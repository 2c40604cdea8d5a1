import { queueThroughProducer, type FillResult } from './backlog.ts';
import { drainWithWorkers, type DrainResult } from './drain.ts';
import { roleEnv, type Knobs } from './env.ts';
import { startBenchRedis, type BenchRedis } from './redis.ts';
import { existingTickets } from './seed.ts';
import { startSims, type Sims } from './sims.ts';
import { atVersion, TicketMaker } from './tickets.ts';
import { watchReports } from './watch.ts';

/** A Redis, Cherwell and WM simulators, and `count` existing tickets on Cherwell, for update drains. */
export interface UpdateFixture {
  redis: BenchRedis;
  sims: Sims;
  prefix: string;
  env: Record<string, string>;
  /** Queues version `version` of the first `n` tickets through the producer (workers not running). */
  queueUpdates(version: number, n: number): Promise<FillResult>;
  /** Drains them; over once WM heard `updated` at that version for all `n`. */
  drainUpdates(
    version: number,
    n: number,
    options?: { processes?: number; nodeArgs?: string[] | undefined },
  ): Promise<DrainResult>;
  close(): Promise<void>;
}

export async function updateFixture(count: number, knobs: Knobs, prefix: string): Promise<UpdateFixture> {
  const redis = await startBenchRedis();
  const sims = await startSims({ platform: 'cherwell', maxTicketsPerRequest: knobs.maxTicketsPerRequest });
  const env = roleEnv(redis.url, prefix, sims, knobs);
  const madeAt = Date.now();
  const maker = (): TicketMaker => new TicketMaker(1, madeAt);
  try {
    const first = maker();
    await existingTickets(redis, sims, env, count, () => first.create());
  } catch (error) {
    await sims.close();
    await redis.stop();
    throw error;
  }
  return {
    redis,
    sims,
    prefix,
    env,
    async queueUpdates(version, n) {
      const again = maker();
      return queueThroughProducer(redis, sims, env, n, () => atVersion(again.create(), version));
    },
    async drainUpdates(version, n, options = {}) {
      const reports = watchReports(sims.log, (r) => r.state === 'updated' && r.version === version);
      try {
        return await drainWithWorkers({
          redis,
          sims,
          prefix,
          env,
          processes: options.processes,
          nodeArgs: options.nodeArgs,
          doneAt: () => (reports.count() >= n ? reports.lastAt() : undefined),
          timeoutMs: 20 * 60_000,
        });
      } finally {
        reports.stop();
      }
    },
    async close() {
      await sims.close();
      await redis.stop();
    },
  };
}
