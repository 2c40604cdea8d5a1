import { queueThroughProducer, sumFills, type FillResult } from './backlog.ts';
import { startDrainWorkers, sumDrains, type DrainResult, type DrainWorkers } from './drain.ts';
import { roleEnv, type Knobs } from './env.ts';
import { deadLetterCount } from './figures.ts';
import { pruneCreated } from './prune.ts';
import type { BenchRedis } from './redis.ts';
import { startSims } from './sims.ts';
import { TicketMaker } from './tickets.ts';
import { watchReports } from './watch.ts';

/**
 * New tickets are drained in waves of this many, the SFyC simulator emptied between waves.
 * A backlog is worked through in FIFO order: every create of the backlog goes before the first
 * work order, so the simulator holds the whole backlog before any ticket is done, and its
 * open-ticket search by entity walks every ticket it holds. One 50,000 backlog had the
 * simulator at 0.9 core against 0.2 for the worker (~300 tickets/s) while its lookups by WM id
 * also scanned, and still at 0.33 core once those were indexed (adf2560); in waves of 5,000 it
 * takes ~0.15 core and the worker is the busy process.
 */
export const WAVE = 5_000;

export interface NewTicketsRun {
  fill: FillResult;
  drain: DrainResult;
  waves: number;
  /**
   * Per backlog, when WM heard its first outcome, as a share of the drain: the backlog runs in
   * FIFO order, so its first ticket is done only after nearly all its creates.
   */
  firstOutcomeShare: number[];
  violations: number;
  deadLetters: number;
  /** Storm: per ticket, ms from its create answered to its OT written back (answered). */
  writeBackLagsMs: number[];
  /** Durations (ms) of the create requests: one batch round trip as the platform sees it. */
  createRequestMs: number[];
  /**
   * Where the storm lag goes, per ticket (ms): its create answered -> its work order sent
   * (`toWorkOrder`), the work order's request (`workOrder`), its answer -> the write-back sent
   * (`toWriteBack`), the write-back's request (`writeBack`); and the tickets per follow-on request.
   */
  stormStages: Record<'toWorkOrder' | 'workOrder' | 'toWriteBack' | 'writeBack', number[]>;
  followOnBatchSizes: Record<'workOrder' | 'writeBack', number[]>;
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
 * `count` new tickets queued through the producer and drained by one worker process through
 * the whole flow on SFyC (lookup, open-ticket search, create, work order, write-back, WM
 * report), in waves of WAVE: each wave queued, then drained (timed), then the simulator reset
 * (its tickets are done; nothing touches them again, entities are unique). The worker stays up
 * across waves. SFyC because its simulator can be emptied: Cherwell's scans every work order
 * on each new one and keeps them.
 */
export async function drainNewTickets(redis: BenchRedis, options: NewTicketsOptions): Promise<NewTicketsRun> {
  const { count, knobs, prefix } = options;
  const sims = await startSims({
    platform: 'sfyc',
    maxTicketsPerRequest: knobs.maxTicketsPerRequest,
    latencyMs: options.latencyMs,
  });
  const sfyc = sims.sfyc!;
  const env = roleEnv(redis.url, prefix, sims, knobs);
  const maker = new TicketMaker(options.firstTicket, Date.now());
  const stopPruning = pruneCreated(sims);
  const fills: FillResult[] = [];
  const drains: DrainResult[] = [];
  const firstOutcomeShare: number[] = [];
  let violations = 0;
  let workers: DrainWorkers | undefined;
  const createdAt = new Map<string, number>();
  const writeBackLagsMs: number[] = [];
  const createRequestMs: number[] = [];
  const workOrderAt = new Map<string, { startedAt: number; endedAt: number }>();
  const stormStages: NewTicketsRun['stormStages'] = {
    toWorkOrder: [],
    workOrder: [],
    toWriteBack: [],
    writeBack: [],
  };
  const followOnBatchSizes: NewTicketsRun['followOnBatchSizes'] = { workOrder: [], writeBack: [] };
  const stopListening = sims.log.listen((source, classified, record) => {
    if (source !== 'sfyc' || record.endedAt === null) return;
    if (classified.kind === 'create') {
      createRequestMs.push(record.endedAt - record.startedAt);
      for (const id of record.ticketIds) createdAt.set(id, record.endedAt);
    } else if (classified.kind === 'workOrder') {
      followOnBatchSizes.workOrder.push(record.ticketIds.length);
      for (const id of record.ticketIds) {
        const at = createdAt.get(id);
        if (at === undefined) continue;
        workOrderAt.set(id, { startedAt: record.startedAt, endedAt: record.endedAt });
        stormStages.toWorkOrder.push(record.startedAt - at);
        stormStages.workOrder.push(record.endedAt - record.startedAt);
      }
    } else if (classified.kind === 'writeBack') {
      followOnBatchSizes.writeBack.push(record.ticketIds.length);
      for (const id of record.ticketIds) {
        const at = createdAt.get(id);
        if (at !== undefined) writeBackLagsMs.push(record.endedAt - at);
        const workOrder = workOrderAt.get(id);
        if (workOrder !== undefined) {
          stormStages.toWriteBack.push(record.startedAt - workOrder.endedAt);
          stormStages.writeBack.push(record.endedAt - record.startedAt);
        }
        createdAt.delete(id);
        workOrderAt.delete(id);
      }
    }
  });
  try {
    workers = await startDrainWorkers({ redis, sims, prefix, env, nodeArgs: options.nodeArgs });
    for (let done = 0; done < count; done += WAVE) {
      const wave = Math.min(WAVE, count - done);
      fills.push(await queueThroughProducer(redis, sims, env, wave, () => maker.create()));
      const reports = watchReports(
        sims.log,
        (r) => r.platform === 'sfyc' && (r.state === 'created' || r.state === 'noted'),
      );
      try {
        const drain = await workers.drain(
          () => (reports.count() >= wave ? reports.lastAt() : undefined),
          30 * 60_000,
        );
        drains.push(drain);
        firstOutcomeShare.push(Number(((reports.firstAt() - drain.startedAt) / drain.ms).toFixed(3)));
      } finally {
        reports.stop();
      }
      sims.log.collect();
      violations += sims.violations().length;
      // Back to empty, settings kept; its tokens are revoked: the worker's next call gets a 401
      // and takes a new token, at no cost to any ticket (one token request per wave).
      sfyc.reset();
    }
    return {
      fill: sumFills(fills),
      drain: sumDrains(drains),
      waves: drains.length,
      firstOutcomeShare,
      violations,
      deadLetters: await deadLetterCount(redis, prefix, 'sfyc'),
      writeBackLagsMs,
      createRequestMs,
      stormStages,
      followOnBatchSizes,
    };
  } finally {
    stopListening();
    stopPruning();
    await workers?.stop();
    await sims.close();
  }
}
