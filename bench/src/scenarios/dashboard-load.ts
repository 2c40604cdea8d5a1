import type { BenchContext, Scenario } from '../context.ts';
import { sized } from '../context.ts';
import { spawnChild, waitReady } from '../harness/child.ts';
import { DEFAULT_KNOBS, roleEnv, withPort } from '../harness/env.ts';
import { Latencies } from '../harness/latencies.ts';
import { startBenchRedis } from '../harness/redis.ts';
import { startSims } from '../harness/sims.ts';
import { startTrickle } from '../harness/trickle.ts';
import { wmReports } from '../measure/requests.ts';
import { percentile } from '../measure/stats.ts';
import { waitFor } from '../measure/wait.ts';
import { row } from '../report/rows.ts';

const NAME = 'dashboard-load';
const PER_SECOND = 50;
/** Operators (or scripts) hammering the dashboard at once, each sending its next request when the last answered. */
const CLIENTS = 8;
const TOKEN = 'bench-admin-token-0123456789abcdef';

/** What an operator's browser and CLI ask: the admin API and Bull Board's own API and page. */
const ENDPOINTS: Record<string, (recent: () => string) => string> = {
  status: () => '/api/status',
  tickets: () => '/api/tickets?limit=50',
  'tickets error': () => '/api/tickets?platform=sfyc&state=error',
  ticket: (recent) => `/api/tickets/${encodeURIComponent(recent())}`,
  'dead letters': () => '/api/dead-letters/sfyc',
  quarantine: () => '/api/quarantine',
  'board queues': () => '/admin/queues/api/queues?activeQueue=sfyc&status=latest&page=1',
  'board page': () => '/admin/queues',
};

/**
 * The admin API and Bull Board under load while tickets flow: 50 changes/s from WM through
 * producer and worker processes to SFyC, and 8 clients in a closed loop over the dashboard's
 * endpoints. Latency percentiles per endpoint, errors, and whether every change still reached
 * the platform and WM (nothing lost while the dashboard is busy).
 */
export const dashboardLoad: Scenario = {
  name: NAME,
  what: `${CLIENTS} clients on the admin API and Bull Board while ${PER_SECOND} changes/s flow from WM to SFyC`,
  fullRuns: 1,
  async run(ctx: BenchContext) {
    const seconds = sized(ctx, 60 * PER_SECOND, 20 * PER_SECOND) / PER_SECOND;
    const redis = await startBenchRedis();
    const sims = await startSims({
      platform: 'sfyc',
      maxTicketsPerRequest: DEFAULT_KNOBS.maxTicketsPerRequest,
    });
    const env = roleEnv(redis.url, 'dl', sims, DEFAULT_KNOBS, {
      TICKET_PROCESSING: 'enabled',
      WM_POLL_INTERVAL_MS: '500',
      ADMIN_TOKEN: TOKEN,
    });
    const reported = new Latencies();
    const ids: string[] = [];
    const stopListening = sims.log.listen((source, _classified, record) => {
      if (source === 'wm')
        for (const report of wmReports(record)) reported.delivered(report, record.endedAt ?? Date.now());
    });
    const roles = await Promise.all([withPort(env), withPort(env), withPort(env)]);
    const [worker, producer, dashboard] = roles;
    const children = [
      spawnChild('worker', worker.env),
      spawnChild('producer', producer.env),
      spawnChild('dashboard', dashboard.env),
    ];
    const latencies = new Map<string, number[]>(Object.keys(ENDPOINTS).map((name) => [name, []]));
    const failures: Record<string, number> = {};
    try {
      await Promise.all(children.map((child, i) => waitReady(child, roles[i]!.port)));
      const base = `http://127.0.0.1:${dashboard.port}`;
      const startedAt = Date.now();
      const stopTrickle = startTrickle(sims.wm, 'sfyc', PER_SECOND, (change) => {
        reported.appended(change);
        ids.push(change.ticketId);
      });
      const recent = (): string =>
        ids[Math.max(0, ids.length - 1 - Math.floor(Math.random() * 200))] ?? 'none';
      const names = Object.keys(ENDPOINTS);
      const until = startedAt + seconds * 1000;
      let turn = 0;
      const client = async (): Promise<void> => {
        while (Date.now() < until) {
          const name = names[turn++ % names.length] ?? 'status';
          const started = performance.now();
          const answer = await fetch(base + (ENDPOINTS[name]?.(recent) ?? '/api/status'), {
            headers: { authorization: `Bearer ${TOKEN}` },
          }).catch(() => undefined);
          await answer?.arrayBuffer();
          latencies.get(name)?.push(Math.round((performance.now() - started) * 10) / 10);
          // A ticket not yet stored is a fair 404; anything else is a failure of the dashboard.
          const ok = answer !== undefined && (answer.ok || (name === 'ticket' && answer.status === 404));
          if (!ok) failures[name] = (failures[name] ?? 0) + 1;
        }
      };
      await Promise.all(Array.from({ length: CLIENTS }, () => client()));
      stopTrickle();
      const to = Date.now();
      await waitFor(
        () => reported.pendingBetween(startedAt, to) === 0,
        'every change reported to WM',
        120_000,
      ).catch(() => undefined);
      const lost = reported.pendingBetween(startedAt, to);
      const delivered = reported.between(startedAt, to);
      const all = [...latencies.values()].flat();
      const perEndpoint = Object.fromEntries(
        [...latencies].map(([name, ms]) => [
          name,
          {
            requests: ms.length,
            p50: percentile(ms, 50),
            p90: percentile(ms, 90),
            p99: percentile(ms, 99),
            max: percentile(ms, 100),
          },
        ]),
      );
      const errors = Object.values(failures).reduce((sum, n) => sum + n, 0);
      ctx.log(
        `${NAME}: ${all.length} dashboard requests, p50 ${percentile(all, 50)} ms, p99 ${percentile(all, 99)} ms, ${errors} errors; ${delivered.length} changes reported, ${lost} lost`,
      );
      return {
        size: seconds * PER_SECOND,
        details: {
          perSecond: PER_SECOND,
          seconds,
          clients: CLIENTS,
          requestsPerSecond: Math.round(all.length / seconds),
          endpoints: perEndpoint,
          failures,
          changes: { reported: delivered.length, lost, feedToReportedP99: percentile(delivered, 99) },
          violations: sims.violations().length,
        },
        rows: [
          row({
            scenario: NAME,
            metric: 'dashboard requests/s',
            unit: '/s',
            values: [Math.round(all.length / seconds)],
          }),
          row({ scenario: NAME, metric: 'dashboard p50', unit: 'ms', values: [percentile(all, 50)] }),
          row({ scenario: NAME, metric: 'dashboard p99', unit: 'ms', values: [percentile(all, 99)] }),
          ...Object.entries(perEndpoint).map(([name, figures]) =>
            row({ scenario: NAME, metric: `p99 ${name}`, unit: 'ms', values: [figures.p99] }),
          ),
          row({
            scenario: NAME,
            metric: 'dashboard errors',
            unit: 'requests',
            values: [errors],
            target: { op: '<=', value: 0, on: 'value', text: 'none' },
          }),
          row({
            scenario: NAME,
            metric: 'changes lost',
            unit: 'changes',
            values: [lost],
            target: { op: '<=', value: 0, on: 'value', text: 'none' },
          }),
          row({
            scenario: NAME,
            metric: 'feed-to-reported p99 under load',
            unit: 'ms',
            values: [percentile(delivered, 99)],
          }),
        ],
      };
    } finally {
      stopListening();
      await Promise.all(children.map((child) => child.stop()));
      await sims.close();
      await redis.stop();
    }
  },
};
