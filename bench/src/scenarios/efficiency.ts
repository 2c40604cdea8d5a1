import type { BenchContext, Scenario } from '../context.ts';
import { sized } from '../context.ts';
import { DEFAULT_KNOBS } from '../harness/env.ts';
import { drainNewTickets } from '../harness/new-tickets.ts';
import { startBenchRedis } from '../harness/redis.ts';
import type { Tallies } from '../harness/request-log.ts';
import { updateFixture } from '../harness/updates.ts';
import { efficiency } from '../measure/efficiency.ts';
import { row } from '../report/rows.ts';
import type { Row } from '../report/types.ts';

const NAME = 'efficiency';
const knobs = DEFAULT_KNOBS;

/**
 * Requests per ticket-operation against the limit (tickets / maxTicketsPerRequest per kind of
 * request), over two backlogs: new tickets (every kind of request of a create) and updates.
 */
export const efficiencyScenario: Scenario = {
  name: NAME,
  what: 'requests against the limit ceil(tickets / maxTicketsPerRequest) per kind, over a backlog of new tickets (SFyC) and one of updates (Cherwell)',
  async run(ctx: BenchContext) {
    const count = sized(ctx, 20_000, 3_000);
    const fresh: Tallies[] = [];
    const updates: Tallies[] = [];
    const redis = await startBenchRedis();
    try {
      for (let run = 0; run < ctx.runs; run++) {
        await redis.client.flushall();
        const result = await drainNewTickets(redis, {
          count,
          knobs,
          prefix: `ef${run}`,
          firstTicket: 1 + run * 10_000_000,
        });
        fresh.push(result.drain.tallies);
        ctx.log(
          `${NAME} run ${run + 1}: new tickets ${efficiency(result.drain.tallies).ratio.toFixed(3)}x the limit`,
        );
      }
    } finally {
      await redis.stop();
    }
    const fixture = await updateFixture(count, knobs, 'eu');
    try {
      for (let run = 0; run < ctx.runs; run++) {
        await fixture.queueUpdates(run + 2, count);
        const drain = await fixture.drainUpdates(run + 2, count);
        updates.push(drain.tallies);
        ctx.log(`${NAME} run ${run + 1}: updates ${efficiency(drain.tallies).ratio.toFixed(3)}x the limit`);
      }
    } finally {
      await fixture.close();
    }
    return {
      size: count,
      details: {
        knobs,
        newTickets: fresh.map((t) => efficiency(t)),
        updates: updates.map((t) => efficiency(t)),
      },
      rows: [
        ...rows('new tickets, all requests', fresh, () => true),
        ...rows('updates', updates, () => true),
      ],
    };
  },
};

function rows(label: string, runs: Tallies[], include: (key: string) => boolean): Row[] {
  // `include` picks kinds of request to judge apart (all of them here).
  const subset = runs.map((tallies) => efficiency(tallies, include));
  return [
    row({
      scenario: NAME,
      metric: `requests per ticket-operation, ${label}`,
      unit: 'requests',
      values: subset.map((e) => e.requests),
      baseline: { label: 'limit', unit: 'requests', values: subset.map((e) => e.limit) },
      target: { op: '<=', value: 1.05, text: '<= 1.05x the limit' },
    }),
  ];
}
