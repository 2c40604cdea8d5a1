import { Queue } from 'bullmq';
import type { WmTicket } from '@tbe/simulators';
import { spawnChild } from '../harness/child.ts';
import { WAVE } from '../harness/new-tickets.ts';
import { pruneCreated } from '../harness/prune.ts';
import type { BenchRedis } from '../harness/redis.ts';
import { mergeTallies, tallyDelta, type Tallies } from '../harness/request-log.ts';
import type { Sims } from '../harness/sims.ts';
import { watchReports } from '../harness/watch.ts';
import { waitFor } from '../measure/wait.ts';

export interface NaiveResult {
  ms: number;
  tallies: Tallies;
  violations: number;
}

/**
 * Runs the naive relay (naive-relay.ts) as a process of its own over `count` new tickets, one
 * `create` job each, in the same waves as the product (new-tickets.ts): each wave queued while
 * the queue is paused, timed from resume to its last WM report, the simulator emptied after.
 * It gets the product worker's BullMQ concurrency (as many tickets in flight) and is not held
 * to maxInFlight: a naive relay has no such budget.
 */
export async function runNaive(
  redis: BenchRedis,
  sims: Sims,
  env: Record<string, string>,
  count: number,
  make: () => WmTicket,
  concurrency: number,
): Promise<NaiveResult> {
  const prefix = 'naive';
  const queue = new Queue('naive', { connection: redis.client, prefix });
  await queue.pause();
  const child = spawnChild('naive', { ...env, NAIVE_CONCURRENCY: String(concurrency), NAIVE_PREFIX: prefix });
  const stopPruning = pruneCreated(sims);
  const windows: Tallies[] = [];
  let ms = 0;
  let violations = 0;
  try {
    await child.waitForMessage('ready', 60_000);
    for (let done = 0; done < count; done += WAVE) {
      const wave = Math.min(WAVE, count - done);
      for (let start = 0; start < wave; start += 1000) {
        const tickets = Array.from({ length: Math.min(1000, wave - start) }, make);
        await queue.addBulk(
          tickets.map((ticket) => ({
            name: 'create',
            data: { step: 'create', ticket },
            opts: { removeOnComplete: true },
          })),
        );
      }
      const reports = watchReports(sims.log, (r) => r.state === 'created' || r.state === 'noted');
      sims.log.collect();
      const before = sims.log.snapshot();
      const startedAt = Date.now();
      await queue.resume();
      const endedAt = await waitFor(
        () => {
          sims.log.collect();
          const failed = child.messages.find((m) => m.event === 'failed');
          if (failed) throw new Error(`the naive relay failed a job: ${JSON.stringify(failed)}`);
          return reports.count() >= wave ? reports.lastAt() : undefined;
        },
        'the naive relay to finish a wave',
        60 * 60_000,
        20,
      );
      await queue.pause();
      reports.stop();
      ms += endedAt - startedAt;
      windows.push(tallyDelta(before, sims.log.snapshot()));
      violations += sims.violations().length;
      sims.sfyc?.reset();
    }
    return { ms, tallies: mergeTallies(windows), violations };
  } finally {
    stopPruning();
    await child.stop();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}
