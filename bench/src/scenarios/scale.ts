import type { BenchContext, Scenario } from '../context.ts';
import { sized } from '../context.ts';
import type { Knobs } from '../harness/env.ts';
import { watchPlatform } from '../harness/platform-window.ts';
import { updateFixture } from '../harness/updates.ts';
import { median } from '../measure/stats.ts';
import { row } from '../report/rows.ts';
import type { Row } from '../report/types.ts';

const NAME = 'scale';
/**
 * Smaller than the defaults on purpose: 4 processes at the default bound (1,000 tickets/s each)
 * would need more CPU than this 2-core machine has with Redis and the simulators on it, and the
 * figure would be about the machine. At 250 tickets/s a process, 4 of them stay well inside it.
 */
const knobs: Knobs = { maxTicketsPerRequest: 25, maxInFlight: 2, batchWaitMs: 100 };
const LATENCY_MS = 200;
const PROCESSES = [1, 2, 4];
const BOUND_PER_SEC = (knobs.maxInFlight * knobs.maxTicketsPerRequest * 1000) / LATENCY_MS;

/** The same update backlog drained by 1, 2 and 4 worker processes against Cherwell answering in 200 ms. */
export const scale: Scenario = {
  name: NAME,
  what: `update backlog drained by ${PROCESSES.join(', ')} worker processes, Cherwell answering in ${LATENCY_MS} ms, maxInFlight ${knobs.maxInFlight}, batch ${knobs.maxTicketsPerRequest}`,
  async run(ctx: BenchContext) {
    // Each level drains about 20 s (quick: 5 s) of its bound.
    const perProcess = sized(ctx, BOUND_PER_SEC * 20, BOUND_PER_SEC * 5);
    const count = perProcess * Math.max(...PROCESSES);
    const fixture = await updateFixture(count, knobs, 'sc');
    const rates = new Map<number, number[]>(PROCESSES.map((p) => [p, []]));
    const details: Record<string, unknown> = {
      knobs,
      latencyMs: LATENCY_MS,
      boundPerProcess: BOUND_PER_SEC,
      ticketsPerProcess: perProcess,
    };
    let version = 1;
    try {
      for (let run = 0; run < ctx.runs; run++) {
        for (const processes of PROCESSES) {
          const n = perProcess * processes;
          version += 1;
          fixture.sims.cherwell?.setLatencyMs(0);
          await fixture.queueUpdates(version, n);
          fixture.sims.cherwell?.setLatencyMs(LATENCY_MS);
          const window = watchPlatform(fixture.sims.log, 'cherwell', 'update');
          await fixture.drainUpdates(version, n, { processes });
          window.stop();
          rates.get(processes)?.push(window.perSec());
          details[`run${run + 1}-${processes}p`] = {
            ticketsPerSec: window.perSec(),
            requests: window.requests(),
            meanBatch: window.named() / window.requests(),
            violations: fixture.sims.violations().length,
          };
          ctx.log(
            `${NAME} run ${run + 1}: ${processes} process(es) ${Math.round(window.perSec())} tickets/s`,
          );
        }
      }
    } finally {
      await fixture.close();
    }
    const one = rates.get(1) ?? [];
    const rows: Row[] = PROCESSES.map((processes) => {
      const values = rates.get(processes) ?? [];
      return row({
        scenario: NAME,
        metric: `${processes} process${processes > 1 ? 'es' : ''}, tickets/s`,
        unit: 'tickets/s',
        values,
        baseline: {
          label: `${processes} x 1 process`,
          unit: 'tickets/s',
          values: one.map((rate) => rate * processes),
        },
        target: processes > 1 ? { op: '>=', value: 0.9, text: '>= 0.9x linear' } : undefined,
      });
    });
    details.boundRatioOneProcess = median(one) / BOUND_PER_SEC;
    return { size: count, details, rows };
  },
};
