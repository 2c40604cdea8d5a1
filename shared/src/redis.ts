import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisTarget } from './config/types.ts';

export type RedisClient = Redis | Cluster;

/**
 * Which side of the connection rules of BullMQ's production guide a connection is on:
 * - `worker`: blocking commands and long-lived work; it must never give up a command
 *   (`maxRetriesPerRequest: null`) and reconnects forever;
 * - `producer`: it should fail fast when Redis is away (`enableOfflineQueue: false`) so that
 *   the caller keeps its cursor and tries again, rather than queueing writes in memory.
 */
export type ConnectionRole = 'worker' | 'producer';

const retryStrategy = (times: number): number => Math.min(times * 200, 2000);

function baseOptions(role: ConnectionRole): RedisOptions {
  return {
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    retryStrategy,
    // Never ioredis `keyPrefix` (it breaks BullMQ's Lua scripts); BullMQ's `prefix` instead.
    connectionName: undefined,
  };
}

/** Opens a connection to the configured Redis (standalone, Sentinel or Cluster). */
export function createRedis(target: RedisTarget, role: ConnectionRole, name?: string): RedisClient {
  const options: RedisOptions = { ...baseOptions(role), connectionName: name };
  switch (target.kind) {
    case 'standalone':
      return new Redis(target.url, options);
    case 'sentinel':
      return new Redis({ ...options, sentinels: target.sentinels, name: target.name });
    case 'cluster': {
      const clusterOptions: ClusterOptions = {
        redisOptions: options,
        enableOfflineQueue: options.enableOfflineQueue,
        clusterRetryStrategy: retryStrategy,
      };
      return new Cluster(target.nodes, clusterOptions);
    }
  }
}

/** Resolves once the connection is ready, or rejects after `timeoutMs`. */
export async function waitForRedis(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = (): void => {
      cleanup();
      resolve();
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
    };
    client.on('ready', onReady);
  });
}
