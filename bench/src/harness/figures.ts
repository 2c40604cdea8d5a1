import { Queue } from 'bullmq';
import { createKeys, deadLetterQueueName, type Platform } from '@tbe/shared';
import { allRequests, efficiency } from '../measure/efficiency.ts';
import type { DrainResult } from './drain.ts';
import { topCommands, totalCalls, type BenchRedis } from './redis.ts';
import { meanInFlight } from './request-log.ts';

/** The per-ticket figures of one drain of `count` tickets. */
export function drainFigures(drain: DrainResult, count: number) {
  const eff = efficiency(drain.tallies);
  return {
    figures: {
      ticketsPerSec: (count / drain.ms) * 1000,
      drainMs: drain.ms,
      commandsPerTicket: totalCalls(drain.commands) / count,
      // A follow-up job is added while its ticket's job is active (deduplication keepLastIfActive):
      // BullMQ issues an id for the add and another when it creates the job, so two ids per job.
      jobsPerTicket: (drain.jobIds.platform / 2 + drain.jobIds.status) / count,
      requestsPerTicket: allRequests(drain.tallies) / count,
      efficiency: eff.ratio,
    },
    detail: {
      platformJobIds: drain.jobIds.platform,
      statusJobIds: drain.jobIds.status,
      // Every command by name (commands run inside scripts included), per ticket.
      topCommandsPerTicket: topCommands(drain.commands, count, Number.POSITIVE_INFINITY),
      requestKinds: eff.byKind,
      redisBytesPerTicket: {
        input: Math.round(drain.redisBytes.input / count),
        output: Math.round(drain.redisBytes.output / count),
      },
      coresUsed: drain.cores,
      // CPU time per ticket: what a process costs per ticket whatever it waited on.
      workerCpuMsPerTicket: Number(((drain.cores.workers * drain.ms) / count).toFixed(3)),
      redisCpuMsPerTicket: Number(((drain.cores.redis * drain.ms) / count).toFixed(3)),
      platformRequestsInFlight: Number(meanInFlight(drain.tallies, drain.ms).toFixed(2)),
    },
  };
}

/** Dead letters of a platform (expected: none in a benchmark). */
export async function deadLetterCount(
  redis: BenchRedis,
  prefix: string,
  platform: Platform,
): Promise<number> {
  const queue = new Queue(deadLetterQueueName(platform), {
    connection: redis.client,
    prefix: createKeys(prefix).platformPrefix(platform),
  });
  try {
    const counts = await queue.getJobCounts('waiting', 'active', 'failed', 'delayed');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  } finally {
    await queue.close();
  }
}
