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

// Reconnect soon and at most a second apart: after a Sentinel failover the next try after the
// election is the one that finds the new master, so a long step adds straight to the pause.
const retryStrategy = (times: number): number => Math.min(times * 100, 1000);

function baseOptions(role: ConnectionRole): RedisOptions {
  return {
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    retryStrategy,
    // Never ioredis `keyPrefix` (it breaks BullMQ's Lua scripts); BullMQ's `prefix` instead.
    connectionName: undefined,
  };
}

/**
 * The user, password and TLS of the data nodes, the same in every mode. A standalone URL may
 * carry its own (load.ts refuses a password in both places); ioredis lets the URL win.
 */
function securityOptions(target: RedisTarget): RedisOptions {
  const options: RedisOptions = {};
  if (target.username !== undefined) options.username = target.username;
  if (target.password !== undefined) options.password = target.password;
  if (target.tls !== undefined) options.tls = target.tls.ca === undefined ? {} : { ca: target.tls.ca };
  return options;
}

/** Opens a connection to the configured Redis (standalone, Sentinel or Cluster). */
export function createRedis(target: RedisTarget, role: ConnectionRole, name?: string): RedisClient {
  const options: RedisOptions = { ...baseOptions(role), ...securityOptions(target), connectionName: name };
  switch (target.kind) {
    case 'standalone':
      return new Redis(target.url, options);
    case 'sentinel':
      return new Redis({
        ...options,
        sentinels: target.sentinels,
        name: target.name,
        // The sentinels speak TLS too when asked for, and may have a password of their own.
        ...(target.sentinelPassword === undefined ? {} : { sentinelPassword: target.sentinelPassword }),
        ...(options.tls === undefined ? {} : { enableTLSForSentinelMode: true, sentinelTLS: options.tls }),
        // A failover must not stop a role: reconnect to the sentinels forever, as to a node.
        sentinelRetryStrategy: retryStrategy,
      });
    case 'cluster': {
      const clusterOptions: ClusterOptions = {
        redisOptions: options,
        enableOfflineQueue: options.enableOfflineQueue,
        clusterRetryStrategy: retryStrategy,
        // Keep the node addresses the cluster announces: TLS names are checked against them.
        ...(options.tls === undefined ? {} : { dnsLookup: (address, callback) => callback(null, address) }),
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
