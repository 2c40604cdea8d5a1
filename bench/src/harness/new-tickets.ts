import { queueThroughProducer, type FillResult } from './backlog.ts';
import { drainWithWorkers, type DrainResult } from './drain.ts';
import { roleEnv, type Knobs } from './env.ts';
import { deadLetterCount } from './figures.ts';
import { pruneCreated } from './prune.ts';
import type { BenchRedis } from './redis.ts';
import { startSims } from './sims.ts';
import { TicketMaker } from './tickets.ts';
import { watchReports } from './watch.ts';

export interface NewTicketsRun {
  fill: FillResult;
  drain: DrainResult;
  violations: number;
  deadLetters: number;
}

export interface NewTicketsOptions {
  count: number;
  knobs: Knobs;
  prefix: string;
  /** Latency of the SFyC simulator. */
  latencyMs?: number;
  /** First ticket number: different runs make different tickets. */
  firstTicket: number;
  nodeArgs?: string[] | undefined;
}

/**
 * `count` new tickets queued through the producer, then drained by one worker process through
 * the whole flow on SFyC (lookup, open-ticket search, create, work order, write-back, WM
 * report), with fresh simulators. SFyC because its simulator can be kept at the size of the
 * tickets in flight (prune.ts); Cherwell's keeps every work order and scans them all for each
 * new one.
 */
export async function drainNewTickets(redis: BenchRedis, options: NewTicketsOptions): Promise<NewTicketsRun> {
  const { count, knobs, prefix } = options;
  const sims = await startSims({ platform: 'sfyc', maxTicketsPerRequest: knobs.maxTicketsPerRequest });
  try {
    const env = roleEnv(redis.url, prefix, sims, knobs);
    const maker = new TicketMaker(options.firstTicket, Date.now());
    const fill = await queueThroughProducer(redis, sims, env, count, () => maker.create());
    // Set only now: the latency is the platform's, the queueing above never calls it.
    sims.sfyc?.setLatencyMs(options.latencyMs ?? 0);
    const stopPruning = pruneCreated(sims);
    const reports = watchReports(sims.log, (r) => r.platform === 'sfyc' && (r.state === 'created' || r.state === 'noted'));
    try {
      const drain = await drainWithWorkers({
        redis,
        sims,
        prefix,
        env,
        nodeArgs: options.nodeArgs,
        doneAt: () => (reports.count() >= count ? reports.lastAt() : undefined),
        timeoutMs: 30 * 60_000,
      });
      return { fill, drain, violations: sims.violations().length, deadLetters: await deadLetterCount(redis, prefix, 'sfyc') };
    } finally {
      stopPruning();
      reports.stop();
    }
  } finally {
    await sims.close();
  }
}
