import { Redis } from 'ioredis';
import { createTopology, startCluster } from '../../../test/src/support/redis-topology.ts';
import { platformJobsIssued, waitForReports } from '../../../test/src/support/delivery.ts';
import { startStack } from '../../../test/src/support/stack.ts';
import type { BenchContext, Scenario } from '../context.ts';
import { sized } from '../context.ts';
import { startBenchRedis } from '../harness/redis.ts';
import { row } from '../report/rows.ts';

const NAME = 'cluster';
const PASSWORD = 'bench-cluster-pass';

interface DrainRun {
  ticketsPerSec: number;
  /** Each master's share of the Redis commands served during the drain (0..1). */
  shares: number[];
}

/** Commands a node processed so far (INFO stats). */
async function commandsProcessed(port: number, password?: string): Promise<number> {
  const client = new Redis({ host: '127.0.0.1', port, password });
  try {
    const text = await client.info('stats');
    return Number(/^total_commands_processed:(\d+)/m.exec(text)?.[1] ?? Number.NaN);
  } finally {
    client.disconnect();
  }
}

/**
 * One backlog of `count` new Cherwell tickets (distinct entities) queued by the producer, then
 * drained by one worker (in this process, as the tests run the roles); timed from the worker's
 * start to the last `created` report. Answers tickets/s and each node's share of the commands
 * of the drain.
 */
async function drainOnce(
  env: Record<string, string>,
  ports: number[],
  password: string | undefined,
  count: number,
): Promise<DrainRun> {
  const stack = await startStack({ ...env, WORKER_PLATFORMS: 'cherwell', LOG_LEVEL: 'silent' });
  try {
    const ids = Array.from(
      { length: count },
      (_, i) => stack.wm.createTicket({ entity: `BCL-${i}`, alarmType: 'SNR' }, ['cherwell']).id,
    );
    stack.startProducer();
    const queuedBy = Date.now() + 10 * 60_000;
    while ((await platformJobsIssued(stack, 'cherwell')) < count) {
      if (Date.now() > queuedBy) throw new Error('the backlog was not queued in 10 minutes');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const before = await Promise.all(ports.map((port) => commandsProcessed(port, password)));
    const startedAt = Date.now();
    await stack.startWorker();
    await waitForReports(stack, 'cherwell', ids, 'created', 10 * 60_000);
    const ms = Date.now() - startedAt;
    const after = await Promise.all(ports.map((port) => commandsProcessed(port, password)));
    const served = after.map((n, i) => n - (before[i] ?? 0));
    const total = served.reduce((a, b) => a + b, 0);
    return { ticketsPerSec: (count / ms) * 1000, shares: served.map((n) => n / total) };
  } finally {
    await stack.stop();
  }
}

/** The same backlog on standalone Redis, then on a 3-master cluster with 1 and 6 partitions. */
export const cluster: Scenario = {
  name: NAME,
  what: 'a backlog of new tickets drained on a 3-master cluster, QUEUE_PARTITIONS 1 and 6 (Cherwell, 0 ms)',
  fullRuns: 1,
  async run(ctx: BenchContext) {
    const count = sized(ctx, 20_000, 2_000);
    const standalone = await startBenchRedis();
    let alone: DrainRun;
    try {
      ctx.log(`${NAME}: ${count} tickets on standalone Redis`);
      const port = Number(new URL(standalone.url).port);
      alone = await drainOnce({ REDIS_URL: standalone.url }, [port], undefined, count);
    } finally {
      await standalone.stop();
    }
    const topology = await createTopology();
    const results: Record<number, DrainRun> = {};
    try {
      const nodes = await startCluster(topology, PASSWORD);
      const ports = nodes.map((node) => node.port);
      for (const partitions of [1, 6]) {
        ctx.log(`${NAME}: ${count} tickets on the cluster with QUEUE_PARTITIONS=${partitions}`);
        results[partitions] = await drainOnce(
          {
            REDIS_URL: 'redis://127.0.0.1:1',
            REDIS_CLUSTER_NODES: ports.map((port) => `127.0.0.1:${port}`).join(','),
            REDIS_PASSWORD: PASSWORD,
            QUEUE_PARTITIONS: String(partitions),
          },
          ports,
          PASSWORD,
          count,
        );
      }
    } finally {
      await topology.stop();
    }
    const one = results[1]!;
    const six = results[6]!;
    const pct = (share: number): number => Number((share * 100).toFixed(1));
    const rows = [
      row({
        scenario: NAME,
        metric: 'standalone tickets/s',
        values: [alone.ticketsPerSec],
        unit: 'tickets/s',
      }),
      ...[one, six].map((run, i) =>
        row({
          scenario: NAME,
          metric: `cluster N=${i === 0 ? 1 : 6} tickets/s`,
          values: [run.ticketsPerSec],
          unit: 'tickets/s',
          baseline: { label: 'standalone', values: [alone.ticketsPerSec], unit: 'tickets/s' },
        }),
      ),
      row({
        scenario: NAME,
        metric: 'N=1 busiest master share',
        values: [pct(Math.max(...one.shares))],
        unit: '%',
      }),
      row({
        scenario: NAME,
        metric: 'N=6 busiest master share',
        values: [pct(Math.max(...six.shares))],
        unit: '%',
        target: { on: 'value', op: '<=', value: 40, text: '<= 40% (a third + 20%)' },
      }),
      row({
        scenario: NAME,
        metric: 'N=6 idlest master share',
        values: [pct(Math.min(...six.shares))],
        unit: '%',
        target: { on: 'value', op: '>=', value: 26.7, text: '>= 26.7% (a third - 20%)' },
      }),
    ];
    return {
      size: count,
      rows,
      details: {
        standalone: alone,
        'cluster N=1 shares %': one.shares.map(pct),
        'cluster N=6 shares %': six.shares.map(pct),
        cluster: { 1: one, 6: six },
      },
    };
  },
};
