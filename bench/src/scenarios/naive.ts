import { runNaive } from '../baselines/naive.ts';
import type { BenchContext, Scenario } from '../context.ts';
import { sized } from '../context.ts';
import { DEFAULT_KNOBS, roleEnv } from '../harness/env.ts';
import { drainNewTickets } from '../harness/new-tickets.ts';
import { startBenchRedis } from '../harness/redis.ts';
import { drainFigures } from '../harness/figures.ts';
import { meanInFlight } from '../harness/request-log.ts';
import { startSims } from '../harness/sims.ts';
import { TicketMaker } from '../harness/tickets.ts';
import { allRequests, efficiency } from '../measure/efficiency.ts';
import { row } from '../report/rows.ts';
import { workerProfileArgs, workerProfiles } from './profile-args.ts';

const NAME = 'naive';
const knobs = DEFAULT_KNOBS;
const concurrency = knobs.maxTicketsPerRequest * (knobs.maxInFlight + 1);
const LATENCY_MS = 50;

/**
 * The same new tickets through the product and through a naive relay (one job and one request
 * per ticket per operation), both against SFyC answering in 50 ms: requests sent and speed.
 */
export const naive: Scenario = {
  name: NAME,
  // Each run drains the 50,000 tickets twice at 50 ms (product, then the naive relay): ~5 minutes.
  fullRuns: 2,
  what: `new tickets: the product against a naive relay, SFyC answering in ${LATENCY_MS} ms, backlogs of 5,000 at a time`,
  async run(ctx: BenchContext) {
    const count = sized(ctx, 50_000, 3_000);
    const redis = await startBenchRedis();
    const perRun: Array<Record<string, number>> = [];
    const details: Record<string, unknown> = {
      knobs,
      naiveConcurrency: concurrency,
      latencyMs: LATENCY_MS,
      platform: 'sfyc',
    };
    try {
      for (let run = 0; run < ctx.runs; run++) {
        await redis.client.flushall();
        const firstTicket = 1 + run * 10_000_000;
        const product = await drainNewTickets(redis, {
          count,
          knobs,
          prefix: `nv${run}`,
          latencyMs: LATENCY_MS,
          firstTicket,
          nodeArgs: workerProfileArgs(ctx, NAME, run),
        });
        const productRequests = allRequests(product.drain.tallies);
        ctx.log(
          `${NAME} run ${run + 1}: product ${Math.round((count / product.drain.ms) * 1000)} tickets/s, ${productRequests} requests`,
        );
        const sims = await startSims({
          platform: 'sfyc',
          maxTicketsPerRequest: knobs.maxTicketsPerRequest,
          latencyMs: LATENCY_MS,
        });
        try {
          const maker = new TicketMaker(firstTicket, Date.now());
          const relay = await runNaive(
            redis,
            sims,
            roleEnv(redis.url, `nr${run}`, sims, knobs),
            count,
            () => maker.create(),
            concurrency,
          );
          const naiveRequests = allRequests(relay.tallies);
          const figures = {
            productTicketsPerSec: (count / product.drain.ms) * 1000,
            naiveTicketsPerSec: (count / relay.ms) * 1000,
            productRequests,
            naiveRequests,
            productViolations: product.violations,
            naiveViolations: relay.violations,
          };
          perRun.push(figures);
          details[`run${run + 1}`] = {
            ...figures,
            product: drainFigures(product.drain, count).detail,
            naiveRequestsInFlight: Number(meanInFlight(relay.tallies, relay.ms).toFixed(2)),
            naiveKinds: efficiency(relay.tallies).byKind,
            profile: await workerProfiles(ctx, NAME, run),
          };
          ctx.log(
            `${NAME} run ${run + 1}: naive ${Math.round(figures.naiveTicketsPerSec)} tickets/s, ${naiveRequests} requests`,
          );
        } finally {
          await sims.close();
        }
      }
    } finally {
      await redis.stop();
    }
    const values = (key: string): number[] => perRun.map((figures) => figures[key] ?? Number.NaN);
    return {
      size: count,
      details,
      rows: [
        row({
          scenario: NAME,
          metric: 'requests (platform + WM reports)',
          unit: 'requests',
          values: values('productRequests'),
          baseline: { label: 'naive relay', unit: 'requests', values: values('naiveRequests') },
          // How many times fewer: naive / product.
          ratios: perRun.map((f) => (f.naiveRequests ?? 0) / (f.productRequests ?? 1)),
          target: { op: '>=', value: 5, text: '>= 5x fewer' },
        }),
        row({
          scenario: NAME,
          metric: `new tickets/s at ${LATENCY_MS} ms`,
          unit: 'tickets/s',
          values: values('productTicketsPerSec'),
          baseline: { label: 'naive relay', unit: 'tickets/s', values: values('naiveTicketsPerSec') },
          target: { op: '>', value: 1, text: '> 1x (faster)' },
        }),
      ],
    };
  },
};
