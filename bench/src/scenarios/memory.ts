import { Queue } from 'bullmq';
import { createKeys, platformQueueName } from '@tbe/shared';
import type { BenchContext, Scenario } from '../context.ts';
import { sized } from '../context.ts';
import { spawnChild, waitReady } from '../harness/child.ts';
import { DEFAULT_KNOBS, roleEnv, withPort } from '../harness/env.ts';
import { feedThroughProducer } from '../harness/fill.ts';
import { pruneCreated } from '../harness/prune.ts';
import { startBenchRedis, usedMemoryBytes } from '../harness/redis.ts';
import { sampleRss, summariseRss, type RssSummary } from '../harness/rss.ts';
import { startSims } from '../harness/sims.ts';
import { memoryBreakdown } from '../harness/memory-breakdown.ts';
import { changeBytes, TicketMaker } from '../harness/tickets.ts';
import type { WmTicket } from '@tbe/simulators';
import { watchReports } from '../harness/watch.ts';
import { sleep } from '../measure/wait.ts';
import { row } from '../report/rows.ts';
import type { Row } from '../report/types.ts';

const NAME = 'memory';
const knobs = DEFAULT_KNOBS;
const LIMIT_MB = 250;
/** Growth from early to late in a run that still counts as flat (GC sawtooth, allocator slack). */
const FLAT_MB = 25;

/**
 * N tickets queued with processing switched off (producer and worker as processes of their
 * own, RSS sampled every second), then processing switched on for a while so the worker's RSS
 * is also seen under load with N queued. Redis bytes per queued ticket from used_memory.
 */
export const memory: Scenario = {
  name: NAME,
  what: 'tickets queued with processing off (SFyC), producer and worker processes; then the worker drains for a while',
  async run(ctx: BenchContext) {
    const count = sized(ctx, 1_000_000, 50_000);
    const drainSeconds = ctx.size === 'quick' ? 10 : 60;
    const redis = await startBenchRedis();
    const sims = await startSims({ platform: 'sfyc', maxTicketsPerRequest: knobs.maxTicketsPerRequest });
    const env = roleEnv(redis.url, 'mem', sims, knobs);
    const maker = new TicketMaker(1, Date.now());
    let queued = 0;
    let sampleBytes = 0;
    let sample: WmTicket | undefined;
    const worker = await withPort(env);
    const producer = await withPort(env);
    const children = { worker: spawnChild('worker', worker.env), producer: spawnChild('producer', producer.env) };
    const queue = new Queue(platformQueueName('sfyc'), { connection: redis.client, prefix: createKeys('mem').platformPrefix('sfyc') });
    try {
      await waitReady(children.worker, worker.port);
      await waitReady(children.producer, producer.port);
      const memoryBefore = await usedMemoryBytes(redis.client);
      const producerRss = sampleRss(children.producer.pid, () => queued);
      const workerRss = sampleRss(children.worker.pid, () => queued);
      const startedAt = Date.now();
      await feedThroughProducer({
        wm: sims.wm,
        redis: redis.client,
        prefix: 'mem',
        platform: 'sfyc',
        total: count,
        chunk: 20_000,
        timeoutMs: 30 * 60_000,
        make: () => {
          const ticket = maker.create();
          sample ??= ticket;
          sampleBytes ||= changeBytes('sfyc', ticket);
          return ticket;
        },
        onProgress: (n) => {
          queued = n;
          if (n % 100_000 < 20_000) ctx.log(`${NAME}: ${n} queued`);
        },
      });
      const queueMs = Date.now() - startedAt;
      producerRss.stop();
      const memoryAfter = await usedMemoryBytes(redis.client);
      const waiting = await queue.getWaitingCount();
      const breakdown = sample ? await memoryBreakdown(redis.client, 'mem', 'sfyc', sample, count) : {};
      // Then under load: the switch on, the worker draining with N queued.
      const stopPruning = pruneCreated(sims);
      const delivered = watchReports(sims.log, (r) => r.state === 'created' || r.state === 'noted');
      const drainStart = Date.now();
      await queue.resume();
      await sleep(drainSeconds * 1000);
      workerRss.stop();
      stopPruning();
      delivered.stop();
      const producerSummary = summariseRss(producerRss.samples);
      const workerSummary = summariseRss(workerRss.samples);
      const bytesPerTicket = (memoryAfter - memoryBefore) / count;
      const details = {
        tickets: count,
        changeBytes: sampleBytes,
        queueMs,
        changesPerSec: (count / queueMs) * 1000,
        waitingJobs: waiting,
        redisUsedMemoryMB: { before: memoryBefore / 2 ** 20, after: memoryAfter / 2 ** 20 },
        bytesPerTicket,
        bytesPerTicketByKey: breakdown,
        producer: producerSummary,
        worker: workerSummary,
        drainedWhileSampling: delivered.count(),
        drainSeconds: (Date.now() - drainStart) / 1000,
        rssSamples: { producer: producerRss.samples.map((s) => [s.progress, Math.round(s.bytes / 2 ** 20)]), worker: workerRss.samples.map((s) => [s.progress, Math.round(s.bytes / 2 ** 20)]) },
      };
      ctx.log(`${NAME}: ${count} queued in ${queueMs} ms; ${Math.round(bytesPerTicket)} Redis bytes/ticket; producer peak ${Math.round(producerSummary.peakMB)} MB, worker peak ${Math.round(workerSummary.peakMB)} MB`);
      return {
        size: count,
        details,
        rows: [
          ...rssRows('producer RSS', producerSummary),
          ...rssRows(`worker RSS (queued, then ${drainSeconds} s draining)`, workerSummary),
          row({ scenario: NAME, metric: `Redis bytes per queued ticket (change ~${sampleBytes} B)`, unit: 'bytes', values: [bytesPerTicket], target: { op: '<=', value: 2048, on: 'value', text: '<= 2 KiB' } }),
        ],
      };
    } finally {
      await Promise.all([children.worker.stop(), children.producer.stop()]);
      await queue.close();
      await sims.close();
      await redis.stop();
    }
  },
};

function rssRows(label: string, summary: RssSummary): Row[] {
  return [
    row({ scenario: NAME, metric: `${label}, peak`, unit: 'MB', values: [summary.peakMB], target: { op: '<=', value: LIMIT_MB, on: 'value', text: `<= ${LIMIT_MB} MB` } }),
    row({ scenario: NAME, metric: `${label}, growth early to late`, unit: 'MB', values: [summary.growthMB], target: { op: '<=', value: FLAT_MB, on: 'value', text: `flat (<= ${FLAT_MB} MB)` } }),
  ];
}
