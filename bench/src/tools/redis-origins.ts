// Where a drain's Redis commands come from, per ticket: every command Redis ran during one
// drain (MONITOR), top-level calls and the commands run inside each script, grouped by script.
// MONITOR slows Redis a lot: this explains a count, it does not time anything.
//   npx tsx bench/src/tools/redis-origins.ts updates|new [tickets=2000]
import { Redis } from 'ioredis';
import { queueThroughProducer } from '../harness/backlog.ts';
import { startDrainWorkers } from '../harness/drain.ts';
import { DEFAULT_KNOBS, roleEnv } from '../harness/env.ts';
import { startBenchRedis } from '../harness/redis.ts';
import { startSims } from '../harness/sims.ts';
import { TicketMaker } from '../harness/tickets.ts';
import { updateFixture } from '../harness/updates.ts';
import { watchReports } from '../harness/watch.ts';

const mode = process.argv[2] === 'new' ? 'new' : 'updates';
const count = Number(process.argv[3] ?? 2000);
const seen: Array<{ args: string[]; source: string }> = [];

async function monitored(url: string, run: () => Promise<void>): Promise<void> {
  const base = new Redis(url);
  const monitor = await base.monitor();
  monitor.on('monitor', (_time: string, args: string[], source: string) => seen.push({ args, source }));
  try {
    await run();
  } finally {
    monitor.disconnect();
    base.disconnect();
  }
}

if (mode === 'updates') {
  const fixture = await updateFixture(count, DEFAULT_KNOBS, 'ro');
  await fixture.queueUpdates(2, count);
  await monitored(fixture.redis.url, async () => void (await fixture.drainUpdates(2, count)));
  await fixture.close();
} else {
  const redis = await startBenchRedis();
  const sims = await startSims({
    platform: 'sfyc',
    maxTicketsPerRequest: DEFAULT_KNOBS.maxTicketsPerRequest,
  });
  const env = roleEnv(redis.url, 'ro', sims, DEFAULT_KNOBS);
  const maker = new TicketMaker(1, Date.now());
  await queueThroughProducer(redis, sims, env, count, () => maker.create());
  const workers = await startDrainWorkers({ redis, sims, prefix: 'ro', env });
  const reports = watchReports(sims.log, (r) => r.state === 'created');
  await monitored(
    redis.url,
    async () =>
      void (await workers.drain(() => (reports.count() >= count ? reports.lastAt() : undefined), 600_000)),
  );
  await workers.stop();
  await sims.close();
  await redis.stop();
}

/** BullMQ's scripts and ours, told apart by their number of keys and their first key. */
function origin(args: string[]): string {
  const command = (args[0] ?? '').toLowerCase();
  if (command !== 'evalsha' && command !== 'eval') return command;
  const keys = Number(args[2]);
  const first = (args[3] ?? '').replace(/^[^{]*\{[^}]*\}:/, '');
  const queue = first.replace(/:[^:]*$/, '');
  const named: Record<string, string> = {
    '14:wait': `BullMQ moveToFinished (${queue}: complete, fetch next)`,
    '11:wait': `BullMQ moveToActive (${queue})`,
    '9:wait': `BullMQ addStandardJob (${queue})`,
    '1:stalled': `BullMQ extendLocks (${queue})`,
  };
  const suffix = `${keys}:${first.slice(first.lastIndexOf(':') + 1)}`;
  if (named[suffix]) return named[suffix];
  if (first.startsWith('state:')) return 'overview transition (shared/store/overview.ts)';
  if (first.startsWith('ticket:'))
    return keys === 3
      ? 'version fence putLatest (shared/store/tickets.ts)'
      : 'stored version markQueued or read (shared/store/tickets.ts)';
  if (first.startsWith('create-claim:')) return 'create claim acquire/release (workers/flow/claims.ts, EVAL)';
  if (first.startsWith('pending-create:')) return 'pending creates oldest (workers/flow/pending-creates.ts)';
  return `${command} ${keys} keys ${first.replace(/WM-[\w.-]+|t-WM[\w%.-]+/g, '#').slice(0, 40)}`;
}

const byOrigin = new Map<string, { calls: number; inner: number; bytes: number }>();
let current: { calls: number; inner: number; bytes: number } | undefined;
for (const { args, source } of seen) {
  if (source === 'lua') {
    if (current) current.inner += 1;
    continue;
  }
  if (/^(monitor|info|client|select|ping|quit)$/i.test(args[0] ?? '')) {
    current = undefined;
    continue;
  }
  const name = origin(args);
  current = byOrigin.get(name) ?? { calls: 0, inner: 0, bytes: 0 };
  current.calls += 1;
  current.bytes += args.reduce((sum, arg) => sum + Buffer.byteLength(arg), 0);
  byOrigin.set(name, current);
}
const rows = [...byOrigin].sort((a, b) => b[1].calls + b[1].inner - (a[1].calls + a[1].inner));
const total = rows.reduce((sum, [, o]) => sum + o.calls + o.inner, 0);
const calls = rows.reduce((sum, [, o]) => sum + o.calls, 0);
console.log(
  `${mode}, ${count} tickets: ${(calls / count).toFixed(1)} calls and ${(total / count).toFixed(1)} commands (inner included) per ticket`,
);
console.log('commands/ticket  calls/ticket  bytes/call  origin');
for (const [name, o] of rows.slice(0, 20)) {
  console.log(
    `${((o.calls + o.inner) / count).toFixed(2).padStart(15)}  ${(o.calls / count).toFixed(2).padStart(12)}  ${String(Math.round(o.bytes / o.calls)).padStart(10)}  ${name}`,
  );
}
