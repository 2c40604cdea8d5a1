import type { BenchContext, Scenario } from '../context.ts';
import { sized } from '../context.ts';
import type { Knobs } from '../harness/env.ts';
import { DEFAULT_KNOBS } from '../harness/env.ts';
import { watchPlatform } from '../harness/platform-window.ts';
import { drainFigures } from '../harness/figures.ts';
import { updateFixture } from '../harness/updates.ts';
import { row } from '../report/rows.ts';
import { workerProfileArgs, workerProfiles } from './profile-args.ts';

const NAME = 'latency-bound';
const knobs: Knobs = DEFAULT_KNOBS;
const LATENCY_MS = 200;
/** F x B / latency: the most a process can carry when every request takes the latency. */
const BOUND_PER_SEC = (knobs.maxInFlight * knobs.maxTicketsPerRequest * 1000) / LATENCY_MS;

/** An update backlog against Cherwell answering in 200 ms: one process against its bound F x B / 0.2 s. */
export const latencyBound: Scenario = {
  name: NAME,
  what: `update backlog, Cherwell answering in ${LATENCY_MS} ms, maxInFlight ${knobs.maxInFlight}, batch ${knobs.maxTicketsPerRequest}, one worker process`,
  async run(ctx: BenchContext) {
    // About 30 s (quick: 5 s) of requests at the bound.
    const count = sized(ctx, BOUND_PER_SEC * 30, BOUND_PER_SEC * 5);
    const fixture = await updateFixture(count, knobs, 'lb');
    const rates: number[] = [];
    const details: Record<string, unknown> = { knobs, latencyMs: LATENCY_MS, boundPerSec: BOUND_PER_SEC };
    try {
      for (let run = 0; run < ctx.runs; run++) {
        fixture.sims.cherwell?.setLatencyMs(0);
        await fixture.queueUpdates(run + 2, count);
        fixture.sims.cherwell?.setLatencyMs(LATENCY_MS);
        const window = watchPlatform(fixture.sims.log, 'cherwell', 'update');
        const drain = await fixture.drainUpdates(run + 2, count, {
          nodeArgs: workerProfileArgs(ctx, NAME, run),
        });
        window.stop();
        rates.push(window.perSec());
        details[`run${run + 1}`] = {
          platformTicketsPerSec: window.perSec(),
          updateRequests: window.requests(),
          meanBatch: window.named() / window.requests(),
          windowMs: window.windowMs(),
          endToEndTicketsPerSec: (count / drain.ms) * 1000,
          drain: drainFigures(drain, count).detail,
          violations: fixture.sims.violations().length,
          profile: await workerProfiles(ctx, NAME, run),
        };
        ctx.log(
          `${NAME} run ${run + 1}: ${Math.round(window.perSec())} tickets/s against a bound of ${BOUND_PER_SEC}`,
        );
      }
    } finally {
      await fixture.close();
    }
    return {
      size: count,
      details,
      rows: [
        row({
          scenario: NAME,
          metric: `updates/s at ${LATENCY_MS} ms, F=${knobs.maxInFlight} B=${knobs.maxTicketsPerRequest}`,
          unit: 'tickets/s',
          values: rates,
          baseline: {
            label: 'bound F x B / 0.2 s',
            unit: 'tickets/s',
            values: rates.map(() => BOUND_PER_SEC),
          },
          target: { op: '>=', value: 0.9, text: '>= 0.9x the bound' },
        }),
      ],
    };
  },
};
