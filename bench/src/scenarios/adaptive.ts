import { createKeys, SettingsStore } from '@tbe/shared';
import type { BenchContext, Scenario } from '../context.ts';
import { spawnChild, waitReady, type Child } from '../harness/child.ts';
import { roleEnv, withPort, type Knobs } from '../harness/env.ts';
import { startBenchRedis } from '../harness/redis.ts';
import { startSims } from '../harness/sims.ts';
import { pushChanges, TicketMaker } from '../harness/tickets.ts';
import { sleep } from '../measure/wait.ts';
import { row } from '../report/rows.ts';

const NAME = 'adaptive';
const PREFIX = 'ad';
const REPLICAS = 3;
const CAPACITY = 8;
/** Above twice its capacity the platform sheds requests with 429 (Retry-After 1 s). */
const HARD_LIMIT_FACTOR = 2;
/** Far above what the platform takes: the 2 cores must not be the limit (issue 12). */
const LATENCY_MS = 200;
/** Few tickets per request, so that requests, not tickets, are what the platform counts. */
const knobs: Knobs = { maxTicketsPerRequest: 5, maxInFlight: 64, batchWaitMs: 20 };
/** New tickets per second into WM: well above what capacity 8 lets through, so the backlog never empties. */
const FEED_PER_SECOND = 80;
/** `maxInFlight` per process tried with the fixed limiter, at capacity 8 and at 4. */
const SWEEP = [1, 2, 3, 4, 6];
const SWEEP_HALVED = [1, 2, 3];
const RECOVERY_BOUND_S = 30;
/** Throughput after the halving is judged over this trailing window. */
const TRAILING_MS = 4000;

interface Window {
  ticketsPerSec: number;
  requests: number;
  limited: number;
  meanInFlight: number;
}

/**
 * Adaptive concurrency against a platform of capacity 8 (requests in flight; latency grows
 * beyond, 429 above 16), 3 worker processes with maxInFlight 64 each. First a sweep of fixed
 * settings finds the best fixed throughput; then the adaptive limiter runs with the same
 * processes and ceiling; then the capacity halves mid-run and the time until the throughput is
 * back to 0.9x the best fixed one at the new capacity is measured. Tickets/s counts ticket
 * operations: tickets named in requests SFyC answered 2xx (searches, creates, work orders,
 * write-backs), the same mix in every window.
 */
export const adaptive: Scenario = {
  name: NAME,
  what: `SFyC at capacity ${CAPACITY} (${LATENCY_MS} ms, 429 above ${CAPACITY * HARD_LIMIT_FACTOR}), ${REPLICAS} worker processes, maxInFlight ${knobs.maxInFlight}: adaptive vs a sweep of fixed settings, then capacity halved`,
  async run(ctx: BenchContext) {
    const quick = ctx.size === 'quick';
    const warmMs = quick ? 4000 : 8000;
    const measureMs = quick ? 8000 : 20_000;
    const redis = await startBenchRedis();
    const sims = await startSims({ platform: 'sfyc', maxTicketsPerRequest: knobs.maxTicketsPerRequest });
    const sfyc = sims.sfyc!;
    sfyc.setLatencyMs(LATENCY_MS);
    const setCapacity = (capacity: number): void =>
      sfyc.setCapacity({ capacity, hardLimit: capacity * HARD_LIMIT_FACTOR, retryAfterS: 1 });
    setCapacity(CAPACITY);
    const settings = new SettingsStore(redis.client, createKeys(PREFIX));
    const maker = new TicketMaker(1, Date.now());
    const feeder = setInterval(() => {
      const tickets = Array.from({ length: FEED_PER_SECOND / 10 }, () => maker.create());
      pushChanges(sims.wm, 'sfyc', tickets);
    }, 100);
    // Throughput as the platform sees it: tickets named in requests it answered 2xx. While new
    // tickets keep coming, their creates go before older tickets' work orders, so WM's
    // `created` reports lag by minutes and would measure the queue, not the platform.
    let done = 0;
    const stopCounting = sims.log.listen((source, classified, record) => {
      if (source === 'sfyc' && record.status !== null && record.status < 300) done += classified.named;
    });
    const created = (): number => done;
    const measure = async (ms: number): Promise<Window> => {
      sfyc.resetLoad();
      const before = created();
      const startedAt = Date.now();
      // Requests in flight at the platform, sampled: what the limit let through.
      let inFlightSum = 0;
      let inFlightSamples = 0;
      while (Date.now() - startedAt < ms) {
        await sleep(100);
        inFlightSum += sfyc.load().inFlight;
        inFlightSamples += 1;
      }
      const load = sfyc.load();
      return {
        ticketsPerSec: ((created() - before) / (Date.now() - startedAt)) * 1000,
        requests: load.admitted + load.rejected,
        limited: load.rejected,
        meanInFlight: inFlightSamples > 0 ? inFlightSum / inFlightSamples : 0,
      };
    };
    const details: Record<string, unknown> = {
      knobs,
      replicas: REPLICAS,
      capacity: CAPACITY,
      latencyMs: LATENCY_MS,
      feedPerSecond: FEED_PER_SECOND,
      warmMs,
      measureMs,
    };
    const env = roleEnv(redis.url, PREFIX, sims, knobs, { TICKET_PROCESSING: 'enabled' });
    const producer = await startRole('producer', env);
    try {
      // Fixed settings: one set of processes, maxInFlight changed at run time.
      let workers = await startWorkers({ ...env, SFYC_CONCURRENCY: 'fixed' });
      const sweep = async (values: number[]): Promise<Record<number, Window>> => {
        const out: Record<number, Window> = {};
        for (const perProcess of values) {
          await settings.setRuntime('sfyc', { maxInFlight: perProcess });
          await sleep(warmMs);
          out[perProcess] = await measure(measureMs);
          ctx.log(
            `${NAME}: fixed ${perProcess} x ${REPLICAS}: ${out[perProcess].ticketsPerSec.toFixed(1)} ticket operations/s, ${out[perProcess].limited} of ${out[perProcess].requests} requests 429, ${out[perProcess].meanInFlight.toFixed(1)} in flight`,
          );
        }
        return out;
      };
      const fixed = await sweep(SWEEP);
      setCapacity(CAPACITY / 2);
      const fixedHalved = await sweep(SWEEP_HALVED);
      await stopAll(workers);
      await redis.client.hdel(createKeys(PREFIX).settings('sfyc'), 'maxInFlight');
      const best = Math.max(...Object.values(fixed).map((w) => w.ticketsPerSec));
      const bestHalved = Math.max(...Object.values(fixedHalved).map((w) => w.ticketsPerSec));

      // Adaptive: fresh processes (the mode is read at start), the env's ceiling of 64.
      setCapacity(CAPACITY);
      workers = await startWorkers({ ...env, SFYC_CONCURRENCY: 'adaptive' });
      await sleep(warmMs);
      const adaptiveWindow = await measure(measureMs);
      const limitAtCapacity = Number(
        await redis.client.hget(createKeys(PREFIX).concurrency('sfyc'), 'limit'),
      );
      ctx.log(
        `${NAME}: adaptive: ${adaptiveWindow.ticketsPerSec.toFixed(1)} ticket operations/s, ${adaptiveWindow.limited} of ${adaptiveWindow.requests} requests 429, ${adaptiveWindow.meanInFlight.toFixed(1)} in flight, limit ${limitAtCapacity.toFixed(1)}`,
      );

      // Halved mid-run: seconds until the trailing throughput is back to 0.9x the new best.
      setCapacity(CAPACITY / 2);
      sfyc.resetLoad();
      const halvedAt = Date.now();
      const samples: { atMs: number; created: number }[] = [{ atMs: halvedAt, created: created() }];
      let recoveredS = Number.NaN;
      while (Date.now() - halvedAt < (RECOVERY_BOUND_S + 5) * 1000) {
        await sleep(500);
        const now = { atMs: Date.now(), created: created() };
        samples.push(now);
        const from = samples.find((s) => s.atMs >= now.atMs - TRAILING_MS);
        if (!from || now.atMs - halvedAt < TRAILING_MS) continue;
        const trailing = ((now.created - from.created) / (now.atMs - from.atMs)) * 1000;
        if (trailing >= 0.9 * bestHalved) {
          // The window that reached it started this long after the halving.
          recoveredS = Math.max(0, (from.atMs - halvedAt) / 1000);
          break;
        }
      }
      const halvedLoad = sfyc.load();
      const limitHalved = Number(await redis.client.hget(createKeys(PREFIX).concurrency('sfyc'), 'limit'));
      const charged = sims.wm.statusReports().filter((r) => r.attempts !== 1).length;
      await stopAll(workers);
      const limitedShare = adaptiveWindow.requests > 0 ? adaptiveWindow.limited / adaptiveWindow.requests : 0;
      Object.assign(details, {
        fixed,
        fixedHalved,
        best,
        bestHalved,
        adaptive: adaptiveWindow,
        limitAtCapacity,
        recoveredS,
        limitHalved,
        halved429: halvedLoad.rejected,
        halvedRequests: halvedLoad.admitted + halvedLoad.rejected,
        reportsWithAttemptsAbove1: charged,
        violations: sims.violations().length,
      });
      ctx.log(
        `${NAME}: halved: back to 0.9x in ${recoveredS} s, limit ${limitHalved.toFixed(1)}, ${charged} reports with attempts > 1`,
      );
      return {
        size: REPLICAS,
        details,
        rows: [
          row({
            scenario: NAME,
            metric: `adaptive ticket operations/s, capacity ${CAPACITY}`,
            unit: 'ops/s',
            values: [adaptiveWindow.ticketsPerSec],
            baseline: { label: 'best fixed (sweep)', unit: 'ops/s', values: [best] },
            target: { op: '>=', value: 0.9, text: '>= 0.9x' },
          }),
          row({
            scenario: NAME,
            metric: 'requests answered 429 (adaptive)',
            unit: '%',
            values: [limitedShare * 100],
            target: { op: '<=', value: 1, on: 'value', text: '<= 1%' },
          }),
          row({
            scenario: NAME,
            metric: `capacity halved: back to 0.9x the best fixed at ${CAPACITY / 2}`,
            unit: 's',
            values: [Number.isNaN(recoveredS) ? RECOVERY_BOUND_S + 5 : recoveredS],
            target: { op: '<=', value: RECOVERY_BOUND_S, on: 'value', text: `<= ${RECOVERY_BOUND_S} s` },
          }),
          row({
            scenario: NAME,
            metric: 'tickets charged an attempt (all 429s included)',
            unit: 'tickets',
            values: [charged],
            target: { op: '<=', value: 0, on: 'value', text: '0' },
          }),
        ],
      };
    } finally {
      stopCounting();
      clearInterval(feeder);
      await producer.stop();
      await sims.close();
      await redis.stop();
    }
  },
};

async function startRole(name: 'worker' | 'producer', env: Record<string, string>): Promise<Child> {
  const role = await withPort(env);
  const child = spawnChild(name, role.env);
  await waitReady(child, role.port);
  return child;
}

async function startWorkers(env: Record<string, string>): Promise<Child[]> {
  return Promise.all(Array.from({ length: REPLICAS }, () => startRole('worker', env)));
}

async function stopAll(children: Child[]): Promise<void> {
  await Promise.all(children.map((child) => child.stop()));
}
