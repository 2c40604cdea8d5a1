import { runNoopBaseline } from '../baselines/noop.ts';
import type { BenchContext, Scenario } from '../context.ts';
import { sized } from '../context.ts';
import { DEFAULT_KNOBS } from '../harness/env.ts';
import { deadLetterCount, drainFigures } from '../harness/figures.ts';
import { updateFixture } from '../harness/updates.ts';
import { row } from '../report/rows.ts';
import { workerProfileArgs, workerProfiles } from './profile-args.ts';

const NAME = 'drain-updates';
const knobs = DEFAULT_KNOBS;
const concurrency = knobs.maxTicketsPerRequest * (knobs.maxInFlight + 1);

/** N queued updates of existing tickets on Cherwell (zero latency), one worker process. */
export const drainUpdates: Scenario = {
  name: NAME,
  what: 'queued updates of existing tickets (Cherwell, 0 ms), one worker process',
  async run(ctx: BenchContext) {
    const count = sized(ctx, 100_000, 10_000);
    ctx.log(`${NAME}: ${count} existing tickets`);
    const fixture = await updateFixture(count, knobs, 'du');
    const perRun: Array<Record<string, number>> = [];
    const details: Record<string, unknown> = { knobs, concurrency, platform: 'cherwell' };
    try {
      for (let run = 0; run < ctx.runs; run++) {
        const version = run + 2;
        const baseline = await runNoopBaseline(fixture.redis, count, concurrency, `${NAME}-${run}`);
        const fill = await fixture.queueUpdates(version, count);
        ctx.log(
          `${NAME} run ${run + 1}: no-op ${Math.round(baseline.jobsPerSec)} jobs/s; queued ${count} updates (${Math.round(fill.changesPerSec)}/s)`,
        );
        const drain = await fixture.drainUpdates(version, count, {
          nodeArgs: workerProfileArgs(ctx, NAME, run),
        });
        const { figures, detail } = drainFigures(drain, count);
        const checks = {
          violations: fixture.sims.violations().length,
          deadLetters: await deadLetterCount(fixture.redis, fixture.prefix, 'cherwell'),
        };
        perRun.push({
          ...figures,
          ...checks,
          baselineJobsPerSec: baseline.jobsPerSec,
          baselineCommandsPerJob: baseline.commandsPerJob,
          fillCommandsPerTicket: fill.commandsPerTicket,
          fillJobsPerTicket: fill.jobIdsPerTicket,
        });
        details[`run${run + 1}`] = {
          ...figures,
          ...detail,
          ...checks,
          baseline,
          fill,
          profile: await workerProfiles(ctx, NAME, run),
        };
        ctx.log(
          `${NAME} run ${run + 1}: ${Math.round(figures.ticketsPerSec)} updates/s, ${figures.commandsPerTicket.toFixed(1)} Redis commands/ticket`,
        );
      }
    } finally {
      await fixture.close();
    }
    const values = (key: string): number[] => perRun.map((figures) => figures[key] ?? Number.NaN);
    return {
      size: count,
      details,
      rows: [
        row({
          scenario: NAME,
          metric: 'drained updates/s',
          unit: 'tickets/s',
          values: values('ticketsPerSec'),
          baseline: { label: 'no-op BullMQ worker', unit: 'jobs/s', values: values('baselineJobsPerSec') },
          target: { op: '>=', value: 0.7, text: '>= 0.7x' },
        }),
        row({
          scenario: NAME,
          metric: 'BullMQ jobs per update (producer + worker)',
          unit: 'jobs',
          values: perRun.map((f) => (f.fillJobsPerTicket ?? 0) + (f.jobsPerTicket ?? 0)),
          baseline: { label: 'no-op: one job', unit: 'jobs', values: perRun.map(() => 1) },
        }),
        row({
          scenario: NAME,
          metric: 'Redis commands per update (worker)',
          unit: 'commands',
          values: values('commandsPerTicket'),
          baseline: { label: 'no-op, per job', unit: 'commands', values: values('baselineCommandsPerJob') },
        }),
        row({
          scenario: NAME,
          metric: 'Redis commands per update (producer)',
          unit: 'commands',
          values: values('fillCommandsPerTicket'),
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
