import { Queue } from 'bullmq';
import { createKeys, platformQueueName } from '@tbe/shared';
import type { WmTicket } from '@tbe/simulators';
import type { BenchContext, Scenario } from '../context.ts';
import { sized } from '../context.ts';
import { spawnChild, waitReady } from '../harness/child.ts';
import { DEFAULT_KNOBS, roleEnv, withPort } from '../harness/env.ts';
import { feedThroughProducer } from '../harness/fill.ts';
import { memoryBreakdown } from '../harness/memory-breakdown.ts';
import { startBenchRedis, usedMemoryBytes } from '../harness/redis.ts';
import { sampleRss, summariseRss, type RssSummary } from '../harness/rss.ts';
import { startSims } from '../harness/sims.ts';
import { changeBytes, TicketMaker } from '../harness/tickets.ts';
import { watchPlatform } from '../harness/platform-window.ts';
import { sleep } from '../measure/wait.ts';
import { row } from '../report/rows.ts';
import type { Row } from '../report/types.ts';

const NAME = 'memory';
const knobs = DEFAULT_KNOBS;
const LIMIT_MB = 250;
/** Growth from early to late in a run that still counts as flat (GC sawtooth, allocator slack). */
const FLAT_MB = 25;
/**
 * The `hash-max-listpack-value` setting README once recommended for big backlogs: 1024 fitted a
 * stored version's `t` (~560 B) while it was a hash. The stored version is a string now and a
 * platform job's hash a listpack at the default, so this row should match the headline (a check
 * that no per-ticket hash is left over 64 B). Measured as an extra row beside the headline
 * (Redis's default, 64).
 */
export const BIG_BACKLOG_LISTPACK_VALUES = [1024] as const;
/** Tickets queued for the extra row: bytes per ticket hardly depend on the count. */
const EXTRA_ROW_TICKETS = 50_000;

interface MemoryRun {
  producer: RssSummary;
  /** The worker over the whole run (peak), and while it drains (flatness under load). */
  worker: RssSummary;
  workerDraining: RssSummary;
  bytesPerTicket: number;
  changeBytes: number;
  details: Record<string, unknown>;
}

/**
 * N tickets queued with processing switched off (producer and worker as processes of their
 * own, RSS sampled every second), then processing switched on for a while so the worker's RSS
 * is also seen under load with N queued. Redis bytes per queued ticket from used_memory.
 */
export const memory: Scenario = {
  name: NAME,
  // One run of a million tickets is several minutes and a few hundred RSS samples.
  fullRuns: 1,
  what: 'tickets queued with processing off (SFyC), producer and worker processes; then the worker drains for a while',
  async run(ctx: BenchContext) {
    const count = sized(ctx, 1_000_000, 50_000);
    const drainSeconds = ctx.size === 'quick' ? 10 : 60;
    const runs: MemoryRun[] = [];
    for (let run = 0; run < ctx.runs; run++) runs.push(await memoryRun(ctx, count, drainSeconds));
    // The same queueing with the recommended listpack setting, no drain: an extra row, not the headline.
    const tuned: [number, MemoryRun][] = [];
    for (const value of BIG_BACKLOG_LISTPACK_VALUES)
      tuned.push([value, await memoryRun(ctx, Math.min(count, EXTRA_ROW_TICKETS), 0, value)]);
    const pick = (f: (r: MemoryRun) => number): number[] => runs.map(f);
    return {
      size: count,
      details: {
        ...Object.fromEntries(runs.map((r, i) => [`run${i + 1}`, r.details])),
        ...Object.fromEntries(tuned.map(([value, r]) => [`hashMaxListpackValue${value}`, r.details])),
      },
      rows: [
        ...rssRows(
          'producer RSS',
          pick((r) => r.producer.peakMB),
          pick((r) => r.producer.growthMB),
        ),
        ...rssRows(
          `worker RSS (idle while queued, then ${drainSeconds} s draining)`,
          pick((r) => r.worker.peakMB),
          pick((r) => r.workerDraining.growthMB),
        ),
        row({
          scenario: NAME,
          metric: `Redis bytes per queued ticket (change ~${runs[0]?.changeBytes ?? 0} B)`,
          unit: 'bytes',
          values: pick((r) => r.bytesPerTicket),
          target: { op: '<=', value: 2048, on: 'value', text: '<= 2 KiB' },
        }),
        ...tuned.map(([value, r]) =>
          row({
            scenario: NAME,
            metric: `  the same with hash-max-listpack-value ${value} (README, Redis; ${r.details.tickets as number} tickets)`,
            unit: 'bytes',
            values: [r.bytesPerTicket],
          }),
        ),
      ],
    };
  },
};

async function memoryRun(
  ctx: BenchContext,
  count: number,
  drainSeconds: number,
  listpackValue?: number,
): Promise<MemoryRun> {
  const redis = await startBenchRedis();
  if (listpackValue !== undefined)
    await redis.client.config('SET', 'hash-max-listpack-value', String(listpackValue));
  const sims = await startSims({ platform: 'sfyc', maxTicketsPerRequest: knobs.maxTicketsPerRequest });
  const env = roleEnv(redis.url, 'mem', sims, knobs);
  const maker = new TicketMaker(1, Date.now());
  let queued = 0;
  let logged = 0;
  let sample: WmTicket | undefined;
  const worker = await withPort(env);
  const producer = await withPort(env);
  const children = {
    worker: spawnChild('worker', worker.env),
    producer: spawnChild('producer', producer.env),
  };
  const queue = new Queue(platformQueueName('sfyc'), {
    connection: redis.client,
    prefix: createKeys('mem').platformPrefix('sfyc'),
  });
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
        return ticket;
      },
      onProgress: (n) => {
        queued = n;
        if (n - logged >= 100_000) {
          logged = n;
          ctx.log(`${NAME}: ${n} queued`);
        }
      },
    });
    const queueMs = Date.now() - startedAt;
    producerRss.stop();
    const memoryAfter = await usedMemoryBytes(redis.client);
    const waiting = await queue.getWaitingCount();
    const breakdown = sample ? await memoryBreakdown(redis.client, 'mem', 'sfyc', sample, count) : {};
    // Then under load: the switch on, the worker draining with N queued.
    // The backlog runs in FIFO order: in a minute the worker is still creating, so count creates.
    const created = watchPlatform(sims.log, 'sfyc', 'create');
    const drainStart = Date.now();
    const drainFrom = workerRss.samples.length;
    await queue.resume();
    await sleep(drainSeconds * 1000);
    workerRss.stop();
    created.stop();
    const result: MemoryRun = {
      producer: summariseRss(producerRss.samples),
      worker: summariseRss(workerRss.samples),
      workerDraining: summariseRss(workerRss.samples.slice(drainFrom)),
      bytesPerTicket: (memoryAfter - memoryBefore) / count,
      changeBytes: sample ? changeBytes('sfyc', sample) : 0,
      details: {},
    };
    result.details = {
      tickets: count,
      changeBytes: result.changeBytes,
      queueMs,
      changesPerSec: (count / queueMs) * 1000,
      waitingJobs: waiting,
      redisUsedMemoryMB: { before: memoryBefore / 2 ** 20, after: memoryAfter / 2 ** 20 },
      bytesPerTicket: result.bytesPerTicket,
      bytesPerTicketByKey: breakdown,
      producer: result.producer,
      worker: result.worker,
      workerDraining: result.workerDraining,
      createdWhileDraining: created.named(),
      drainSeconds: (Date.now() - drainStart) / 1000,
      // [tickets queued when sampled, RSS MB]
      rssSamples: {
        producer: producerRss.samples.map((s) => [s.progress, Math.round(s.bytes / 2 ** 20)]),
        worker: workerRss.samples.map((s) => [s.progress, Math.round(s.bytes / 2 ** 20)]),
      },
    };
    ctx.log(
      `${NAME}: ${count} queued in ${queueMs} ms; ${Math.round(result.bytesPerTicket)} Redis bytes/ticket; producer peak ${Math.round(result.producer.peakMB)} MB, worker peak ${Math.round(result.worker.peakMB)} MB`,
    );
    return result;
  } finally {
    await Promise.all([children.worker.stop(), children.producer.stop()]);
    await queue.close();
    await sims.close();
    await redis.stop();
  }
}

/** Peak over the run; growth over the phase where a leak would show (queueing for the producer, draining for the worker). */
function rssRows(label: string, peaks: number[], growths: number[]): Row[] {
  return [
    row({
      scenario: NAME,
      metric: `${label}, peak`,
      unit: 'MB',
      values: peaks,
      target: { op: '<=', value: LIMIT_MB, on: 'value', text: `<= ${LIMIT_MB} MB` },
    }),
    row({
      scenario: NAME,
      metric: `${label}, growth early to late in its busy phase`,
      unit: 'MB',
      values: growths,
      target: { op: '<=', value: FLAT_MB, on: 'value', text: `flat (<= ${FLAT_MB} MB)` },
    }),
  ];
}
