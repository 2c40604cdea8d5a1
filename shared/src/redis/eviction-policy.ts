import { Cluster, ReplyError, type Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisClient } from '../redis.ts';
import { isAuthRefusal } from '../redis-health.ts';

/** The only policy under which Redis never drops a queue's keys (BullMQ's production guide). */
export const REQUIRED_POLICY = 'noeviction';

export type PolicyCheck =
  | { kind: 'ok' }
  /** The server evicts keys: BullMQ would lose jobs silently. */
  | { kind: 'refused'; policy: string }
  /** CONFIG GET is not allowed to us (ACL, managed Redis): nobody can tell; a warning. */
  | { kind: 'unknown'; reason: string }
  /** Redis refused our credentials (NOAUTH, WRONGPASS): the role says so itself, in one line. */
  | { kind: 'auth-failed' };

/** Asks one server (a standalone, Sentinel's current master, one Cluster master) for its policy. */
export async function checkEvictionPolicy(node: Redis): Promise<PolicyCheck> {
  let answer: unknown;
  try {
    answer = await node.config('GET', 'maxmemory-policy');
  } catch (error) {
    // A refusal is a reply (NOPERM, unknown or renamed command); anything else is the connection
    // failing, which the next `ready` checks again.
    if (error instanceof ReplyError && isAuthRefusal(error)) return { kind: 'auth-failed' };
    if (error instanceof ReplyError)
      return { kind: 'unknown', reason: (error as Error).message.split('\n')[0] ?? '' };
    throw error;
  }
  const policy: unknown = Array.isArray(answer) ? (answer as unknown[])[1] : undefined;
  if (typeof policy !== 'string') return { kind: 'unknown', reason: 'no maxmemory-policy in the answer' };
  return policy === REQUIRED_POLICY ? { kind: 'ok' } : { kind: 'refused', policy };
}

export interface PolicyHandlers {
  logger: Logger;
  /** The server evicts: the role must not work (the process exits). `line` says so, once. */
  onRefused(line: string): void;
}

const where = (node: Redis): string => `${node.options.host ?? '?'}:${node.options.port ?? '?'}`;

/**
 * Checks the eviction policy on every connection of `client`: each time it becomes ready (a
 * reconnect, Sentinel's new master after a failover) and, on a Cluster, on every master, those
 * that join or are promoted later included. Answers a function that stops watching.
 */
export function watchEvictionPolicy(client: RedisClient, handlers: PolicyHandlers): () => void {
  const warned = new Set<string>();
  const check = (node: Redis): void => {
    void checkEvictionPolicy(node).then(
      (result) => {
        if (result.kind === 'refused') {
          handlers.onRefused(
            `Redis ${where(node)} has maxmemory-policy ${result.policy}: BullMQ would lose queued tickets silently when memory runs out; set maxmemory-policy ${REQUIRED_POLICY} (redis.conf, or CONFIG SET maxmemory-policy ${REQUIRED_POLICY})`,
          );
        } else if (result.kind === 'unknown' && !warned.has(where(node))) {
          warned.add(where(node));
          handlers.logger.warn(
            { redis: where(node), reason: result.reason },
            `cannot read Redis maxmemory-policy (CONFIG GET not allowed): make sure it is ${REQUIRED_POLICY}, or queued tickets may be lost silently`,
          );
        }
      },
      () => undefined,
    );
  };
  if (!(client instanceof Cluster)) {
    const onReady = (): void => check(client);
    client.on('ready', onReady);
    if (client.status === 'ready') onReady();
    return () => client.off('ready', onReady);
  }
  // Cluster: each master node is a connection of its own, with its own `ready`. Slot refreshes
  // show promoted replicas and new masters.
  const watched = new WeakSet<Redis>();
  const watchMasters = (): void => {
    for (const node of client.nodes('master')) {
      if (watched.has(node)) continue;
      watched.add(node);
      node.on('ready', () => check(node));
      if (node.status === 'ready') check(node);
      // A node connects lazily: make sure it does, so it is checked now and not at first use.
      else if (node.status === 'wait') node.connect().catch(() => undefined);
    }
  };
  client.on('ready', watchMasters);
  client.on('refresh', watchMasters);
  if (client.status === 'ready') watchMasters();
  return () => {
    client.off('ready', watchMasters);
    client.off('refresh', watchMasters);
  };
}
