import type { Logger } from 'pino';
import type { RedisTarget } from '../config/types.ts';
import { createRedis } from '../redis.ts';
import { watchEvictionPolicy } from './eviction-policy.ts';

export interface EvictionGuard {
  close(): void;
}

/** What a role does on an evicting Redis: one clear line, then it stops working (exit 1). */
export function refuseToWork(logger: Logger): (line: string) => void {
  return (line) => {
    logger.fatal(line);
    process.exit(1);
  };
}

/**
 * A role's check of Redis's eviction policy (operations.md): its own small connection to the
 * configured Redis, so it follows the roles' connections wherever they go (Sentinel's new master
 * after a failover, every Cluster master) without touching them. By default the process exits
 * on an evicting Redis; where CONFIG GET is not allowed, a warning.
 */
export function startEvictionGuard(
  target: RedisTarget,
  logger: Logger,
  onRefused: (line: string) => void = refuseToWork(logger),
): EvictionGuard {
  const client = createRedis(target, 'worker', 'tbe-policy-check');
  // The role's own connections report Redis being away; this one stays quiet.
  client.on('error', () => undefined);
  const stop = watchEvictionPolicy(client, { logger, onRefused });
  return {
    close() {
      stop();
      client.disconnect();
    },
  };
}
