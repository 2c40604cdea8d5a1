import { createKeys, platformQueueName, type Platform } from '@tbe/shared';
import type { WmTicket } from '@tbe/simulators';
import { commandCalls, commandDelta, jobIdsIssued, totalCalls, type BenchRedis } from './redis.ts';
import { feedThroughProducer, startLocalProducer } from './fill.ts';
import type { Sims } from './sims.ts';

export interface FillResult {
  ms: number;
  changesPerSec: number;
  commandsPerTicket: number;
  jobIdsPerTicket: number;
}

/**
 * Queues `count` changes through the real producer (in this process, polling WM every 50 ms
 * so it never idles between chunks): WM feed -> validate -> version fence -> BullMQ job. Timed
 * and counted, but not the figure a drain is judged on.
 */
export async function queueThroughProducer(
  redis: BenchRedis,
  sims: Sims,
  env: Record<string, string>,
  count: number,
  make: (index: number) => WmTicket,
): Promise<FillResult> {
  const prefix = env.QUEUE_PREFIX ?? 'tbe';
  const platform: Platform = sims.platform;
  const queuePrefix = createKeys(prefix).platformPrefix(platform);
  const idsBefore = await jobIdsIssued(redis.client, queuePrefix, platformQueueName(platform));
  const before = await commandCalls(redis.client);
  const startedAt = Date.now();
  const producer = startLocalProducer({ ...env, WM_POLL_INTERVAL_MS: '50' });
  try {
    await feedThroughProducer({
      wm: sims.wm,
      redis: redis.client,
      prefix,
      platform,
      total: count,
      make,
      timeoutMs: 30 * 60_000,
    });
  } finally {
    await producer.stop();
  }
  const ms = Date.now() - startedAt;
  const commands = totalCalls(commandDelta(before, await commandCalls(redis.client)));
  const ids = (await jobIdsIssued(redis.client, queuePrefix, platformQueueName(platform))) - idsBefore;
  return {
    ms,
    changesPerSec: (count / ms) * 1000,
    commandsPerTicket: commands / count,
    jobIdsPerTicket: ids / count,
  };
}

/** Several fills as one: times added, per-ticket figures weighted by tickets. */
export function sumFills(fills: readonly FillResult[]): FillResult {
  const ms = fills.reduce((sum, f) => sum + f.ms, 0);
  const tickets = fills.map((f) => (f.changesPerSec * f.ms) / 1000);
  const total = tickets.reduce((a, b) => a + b, 0);
  const weighted = (pick: (f: FillResult) => number): number =>
    fills.reduce((sum, f, i) => sum + pick(f) * (tickets[i] ?? 0), 0) / total;
  return {
    ms,
    changesPerSec: (total / ms) * 1000,
    commandsPerTicket: weighted((f) => f.commandsPerTicket),
    jobIdsPerTicket: weighted((f) => f.jobIdsPerTicket),
  };
}
