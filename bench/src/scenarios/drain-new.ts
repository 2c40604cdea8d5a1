import { runNoopBaseline } from '../baselines/noop.ts';
import type { BenchContext, Scenario } from '../context.ts';
import { sized } from '../context.ts';
import { DEFAULT_KNOBS } from '../harness/env.ts';
import { drainFigures } from '../harness/figures.ts';
import { drainNewTickets } from '../harness/new-tickets.ts';
import { startBenchRedis } from '../harness/redis.ts';
import { median, percentile } from '../measure/stats.ts';
import { row } from '../report/rows.ts';
import { workerProfileArgs, workerProfiles } from './profile-args.ts';

const NAME = 'drain-new';
const knobs = DEFAULT_KNOBS;
const concurrency = knobs.maxTicketsPerRequest * (knobs.maxInFlight + 1);

/** N new tickets already queued, drained through the whole flow (SFyC, zero latency), one worker process. */
export const drainNew: Scenario = {
  name: NAME,
  what: 'queued new tickets through lookup, create, OT, write-back, WM report (SFyC, 0 ms), one worker process, backlogs of 5,000 at a time',
  async run(ctx: BenchContext) {
    const count = sized(ctx, 50_000, 5_000);
    const redis = await startBenchRedis();
    const perRun: Array<Record<string, number>> = [];
    const details: Record<string, unknown> = { knobs, concurrency, platform: 'sfyc' };
    try {
      for (let run = 0; run < ctx.runs; run++) {
        await redis.client.flushall();
        const baseline = await runNoopBaseline(redis, count, concurrency, `${NAME}-${run}`);
        const result = await drainNewTickets(redis, {
          count,
          knobs,
          prefix: `dn${run}`,
          firstTicket: 1 + run * 10_000_000,
          nodeArgs: workerProfileArgs(ctx, NAME, run),
        });
        const { figures, detail } = drainFigures(result.drain, count);
        const checks = {
          violations: result.violations,
          deadLetters: result.deadLetters,
          waves: result.waves,
        };
        const order = { firstOutcomeShareOfDrain: result.firstOutcomeShare };
        // Storm: how far a ticket's OT (written back) trails its create while the backlog drains.
        const stormLagP99 = percentile(result.writeBackLagsMs, 99);
        const roundTripMs = median(result.createRequestMs);
        const stormBound = 2 * roundTripMs + knobs.batchWaitMs;
        perRun.push({
          ...figures,
          ...checks,
          baselineJobsPerSec: baseline.jobsPerSec,
          baselineCommandsPerJob: baseline.commandsPerJob,
          fillJobsPerTicket: result.fill.jobIdsPerTicket,
          fillCommandsPerTicket: result.fill.commandsPerTicket,
          stormLagP99,
          stormBound,
        });
        details[`run${run + 1}`] = {
          ...figures,
          ...detail,
          ...checks,
          ...order,
          storm: {
            lagP50Ms: percentile(result.writeBackLagsMs, 50),
            lagP99Ms: stormLagP99,
            lagMaxMs: percentile(result.writeBackLagsMs, 100),
            tickets: result.writeBackLagsMs.length,
            createRequestMedianMs: roundTripMs,
            // Where the lag goes (see NewTicketsRun.stormStages).
            stagesMs: Object.fromEntries(
              Object.entries(result.stormStages).map(([stage, lags]) => [
                stage,
                { p50: percentile(lags, 50), p99: percentile(lags, 99) },
              ]),
            ),
            followOnBatchSize: Object.fromEntries(
              Object.entries(result.followOnBatchSizes).map(([op, sizes]) => [
                op,
                { requests: sizes.length, p10: percentile(sizes, 10), p50: median(sizes) },
              ]),
            ),
          },
          baseline,
          fill: result.fill,
          profile: await workerProfiles(ctx, NAME, run),
        };
        ctx.log(
          `${NAME} run ${run + 1}: no-op ${Math.round(baseline.jobsPerSec)} jobs/s; ${Math.round(figures.ticketsPerSec)} tickets/s, ${figures.commandsPerTicket.toFixed(1)} Redis commands/ticket`,
        );
      }
    } finally {
      await redis.stop();
    }
    const values = (key: string): number[] => perRun.map((figures) => figures[key] ?? Number.NaN);
    const perJob = { label: 'no-op, per job', unit: 'commands', values: values('baselineCommandsPerJob') };
    return {
      size: count,
      details,
      rows: [
        row({
          scenario: NAME,
          metric: 'drained new tickets/s',
          unit: 'tickets/s',
          values: values('ticketsPerSec'),
          baseline: { label: 'no-op BullMQ worker', unit: 'jobs/s', values: values('baselineJobsPerSec') },
          target: { op: '>=', value: 0.25, text: '>= 0.25x' },
        }),
        row({
          scenario: NAME,
          metric: 'BullMQ jobs per ticket (producer + worker)',
          unit: 'jobs',
          values: perRun.map((f) => (f.fillJobsPerTicket ?? 0) + (f.jobsPerTicket ?? 0)),
          baseline: { label: 'no-op: one job', unit: 'jobs', values: perRun.map(() => 1) },
          target: { op: '<=', value: 1.1, on: 'value', text: '<= 1.1' },
        }),
        row({
          scenario: NAME,
          metric: 'Redis commands per ticket (producer)',
          unit: 'commands',
          values: values('fillCommandsPerTicket'),
          baseline: perJob,
        }),
        row({
          scenario: NAME,
          metric: 'Redis commands per ticket (worker)',
          unit: 'commands',
          values: values('commandsPerTicket'),
          baseline: perJob,
          target: { op: '<=', value: 60, on: 'value', text: '<= 60' },
        }),
        row({
          scenario: NAME,
          metric: 'platform + WM requests per ticket',
          unit: 'requests',
          values: values('requestsPerTicket'),
        }),
        row({
          scenario: NAME,
          metric: 'storm: OT written back, p99 lag behind its create',
          unit: 'ms',
          values: values('stormLagP99'),
          baseline: {
            label: '2 x create request (median) + batchWaitMs',
            unit: 'ms',
            values: values('stormBound'),
          },
          target: { op: '<=', value: 1, text: '<= 1x the bound' },
        }),
        row({
          scenario: NAME,
          metric: 'violations + dead letters',
          unit: '',
          values: perRun.map((f) => (f.violations ?? 0) + (f.deadLetters ?? 0)),
          target: { op: '<=', value: 0, on: 'value', text: '0' },
        }),
      ],
    };
  },
};
