import type { BenchContext, Scenario } from '../context.ts';
import { sized } from '../context.ts';
import { spawnChild, waitReady } from '../harness/child.ts';
import { DEFAULT_KNOBS, roleEnv, withPort } from '../harness/env.ts';
import { Latencies } from '../harness/latencies.ts';
import { startBenchRedis } from '../harness/redis.ts';
import { startSims } from '../harness/sims.ts';
import { startTrickle } from '../harness/trickle.ts';
import { sfycWrites, wmReports } from '../measure/requests.ts';
import { percentile } from '../measure/stats.ts';
import { sleep, waitFor } from '../measure/wait.ts';
import { row } from '../report/rows.ts';

const NAME = 'steady-latency';
const knobs = DEFAULT_KNOBS;
const PER_SECOND = 200;
/** The product default: the producer waits this long after an empty poll, when WM cannot hold one. */
const POLL_INTERVAL_MS = 2000;
/** The product default: WM holds an empty poll up to this long (long polling, wm-feed.md). */
const LONG_POLL_S = 20;
const WARM_UP_MS = 5000;

/**
 * A steady 200 changes/s from the WM simulator through producer and worker processes to SFyC:
 * the time from a change entering the feed to the platform holding that version (its create,
 * update, note or resolve answered), and to WM hearing the outcome.
 */
export const steadyLatency: Scenario = {
  name: NAME,
  what: `${PER_SECOND} changes/s from WM to SFyC (0 ms), producer and worker processes, long polling (wait ${LONG_POLL_S} s; poll interval ${POLL_INTERVAL_MS} ms unused), batchWaitMs ${knobs.batchWaitMs}`,
  async run(ctx: BenchContext) {
    const seconds = sized(ctx, 60 * PER_SECOND, 20 * PER_SECOND) / PER_SECOND;
    // Long polling: a change reaches the producer as WM publishes it, so only the batch wait is left.
    const bound = knobs.batchWaitMs;
    const p50: number[] = [];
    const p99: number[] = [];
    const reportedP99: number[] = [];
    const details: Record<string, unknown> = {
      knobs,
      perSecond: PER_SECOND,
      seconds,
      pollIntervalMs: POLL_INTERVAL_MS,
      longPollS: LONG_POLL_S,
      warmUpMs: WARM_UP_MS,
    };
    for (let run = 0; run < ctx.runs; run++) {
      const redis = await startBenchRedis();
      const sims = await startSims({ platform: 'sfyc', maxTicketsPerRequest: knobs.maxTicketsPerRequest });
      const env = roleEnv(redis.url, 'st', sims, knobs, {
        TICKET_PROCESSING: 'enabled',
        WM_POLL_INTERVAL_MS: String(POLL_INTERVAL_MS),
        WM_LONG_POLL_S: String(LONG_POLL_S),
      });
      const onPlatform = new Latencies();
      const reported = new Latencies();
      const stopListening = sims.log.listen((source, _classified, record) => {
        const at = record.endedAt ?? Date.now();
        if (source === 'sfyc') for (const written of sfycWrites(record)) onPlatform.delivered(written, at);
        if (source === 'wm') for (const report of wmReports(record)) reported.delivered(report, at);
      });
      const worker = await withPort(env);
      const producer = await withPort(env);
      const children = [spawnChild('worker', worker.env), spawnChild('producer', producer.env)];
      try {
        await waitReady(children[0]!, worker.port);
        await waitReady(children[1]!, producer.port);
        const startedAt = Date.now();
        const stopTrickle = startTrickle(sims.wm, 'sfyc', PER_SECOND, (change) => {
          onPlatform.appended(change);
          reported.appended(change);
        });
        await sleep(seconds * 1000);
        stopTrickle();
        const [from, to] = [startedAt + WARM_UP_MS, Date.now()];
        await waitFor(
          () => reported.pendingBetween(from, to) === 0,
          'every change to be reported',
          60_000,
        ).catch(() => undefined);
        const platformMs = onPlatform.between(from, to);
        const reportedMs = reported.between(from, to);
        p50.push(percentile(platformMs, 50));
        p99.push(percentile(platformMs, 99));
        reportedP99.push(percentile(reportedMs, 99));
        details[`run${run + 1}`] = {
          changes: platformMs.length + onPlatform.pendingBetween(from, to),
          platform: {
            p50: percentile(platformMs, 50),
            p90: percentile(platformMs, 90),
            p99: percentile(platformMs, 99),
            max: percentile(platformMs, 100),
          },
          reported: {
            p50: percentile(reportedMs, 50),
            p90: percentile(reportedMs, 90),
            p99: percentile(reportedMs, 99),
            max: percentile(reportedMs, 100),
          },
          undelivered: onPlatform.pendingBetween(from, to),
          violations: sims.violations().length,
        };
        ctx.log(
          `${NAME} run ${run + 1}: feed-to-platform p50 ${p50.at(-1)} ms, p99 ${p99.at(-1)} ms; feed-to-reported p99 ${reportedP99.at(-1)} ms`,
        );
      } finally {
        stopListening();
        await Promise.all(children.map((child) => child.stop()));
        await sims.close();
        await redis.stop();
      }
    }
    const baseline = { label: 'batchWaitMs', unit: 'ms', values: p99.map(() => bound) };
    return {
      size: seconds * PER_SECOND,
      details,
      rows: [
        row({ scenario: NAME, metric: 'feed-to-platform p50', unit: 'ms', values: p50, baseline }),
        row({
          scenario: NAME,
          metric: 'feed-to-platform p99',
          unit: 'ms',
          values: p99,
          baseline,
          target: { op: '<=', value: bound + 250, on: 'value', text: `<= ${bound + 250} ms` },
        }),
        row({
          scenario: NAME,
          metric: 'feed-to-reported p99 (WM told)',
          unit: 'ms',
          values: reportedP99,
          baseline,
        }),
      ],
    };
  },
};
