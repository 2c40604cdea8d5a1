import { Redis } from 'ioredis';
import { startRedisServer, type RedisServer } from '../../../test/src/setup/redis-server.ts';

/** A redis-server of the benchmark's own on a free port, and a plain connection for looking. */
export interface BenchRedis {
  readonly url: string;
  readonly server: RedisServer;
  readonly client: Redis;
  stop(): Promise<void>;
}

export async function startBenchRedis(): Promise<BenchRedis> {
  const server = await startRedisServer();
  const client = new Redis(server.url, { maxRetriesPerRequest: null });
  return {
    url: server.url,
    server,
    client,
    async stop() {
      client.disconnect();
      await server.stop();
    },
  };
}

/** Calls per command name since the server started (`INFO commandstats`), commands run inside scripts included. */
export async function commandCalls(client: Redis): Promise<Map<string, number>> {
  const text = await client.info('commandstats');
  const calls = new Map<string, number>();
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (match[1] && match[2]) calls.set(match[1], Number(match[2]));
  }
  return calls;
}

/** What ran between two `commandCalls` snapshots; our own INFO calls left out. */
export function commandDelta(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const delta = new Map<string, number>();
  for (const [name, calls] of after) {
    const grown = calls - (before.get(name) ?? 0);
    if (grown > 0 && name !== 'info') delta.set(name, grown);
  }
  return delta;
}

export const totalCalls = (delta: Map<string, number>): number =>
  [...delta.values()].reduce((a, b) => a + b, 0);

/** The heaviest commands, per ticket, for the report's "what limits it". */
export function topCommands(
  delta: Map<string, number>,
  perTickets: number,
  count = 8,
): Record<string, number> {
  return Object.fromEntries(
    [...delta.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, calls]) => [name, Number((calls / perTickets).toFixed(2))]),
  );
}

export async function usedMemoryBytes(client: Redis): Promise<number> {
  const text = await client.info('memory');
  return Number(/^used_memory:(\d+)/m.exec(text)?.[1] ?? Number.NaN);
}

/**
 * BullMQ job ids issued by a queue so far: its `<prefix>:<queue>:id` counter, which BullMQ
 * increments on every add (deduplicated adds included) and when a kept-last deduplicated job is
 * created. So a delta counts jobs added, not jobs that ran.
 */
export async function jobIdsIssued(client: Redis, prefix: string, queue: string): Promise<number> {
  return Number((await client.get(`${prefix}:${queue}:id`)) ?? 0);
}

export async function serverVersion(client: Redis): Promise<string> {
  const text = await client.info('server');
  return /^redis_version:(.+)$/m.exec(text)?.[1]?.trim() ?? 'unknown';
}

/** Bytes Redis read from and wrote to its clients so far (INFO stats). */
export async function networkBytes(client: Redis): Promise<{ input: number; output: number }> {
  const text = await client.info('stats');
  const read = (name: string): number =>
    Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { input: read('total_net_input_bytes'), output: read('total_net_output_bytes') };
}
