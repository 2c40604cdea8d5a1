import { createRedis, redactUrl, waitForRedis, type Config, type RedisClient } from '@tbe/shared';
import { fail, pass, reason, type CheckResult } from './types.ts';

/** Versions BullMQ 6 runs on. */
const MIN_MAJOR = 6;
const REACH_TIMEOUT_MS = 5000;

function where(config: Config): string {
  const target = config.redis;
  if (target.kind === 'standalone') return redactUrl(target.url).replace(/\/$/, '');
  return target.kind === 'sentinel' ? `Sentinel ${target.name}` : 'Cluster';
}

/** `field:value` lines of an INFO section. */
function infoField(info: string, field: string): string | undefined {
  return new RegExp(`^${field}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

/**
 * Redis as the roles need it: reachable with the configured credentials, a version BullMQ runs
 * on, `maxmemory-policy noeviction` (BullMQ loses jobs silently otherwise), persistence on (a
 * restart must not lose queued tickets). Answers the client for the WM check (the cursor).
 */
export async function checkRedis(config: Config): Promise<{ results: CheckResult[]; client?: RedisClient }> {
  const client = createRedis(config.redis, 'worker', 'tbe-check');
  client.on('error', () => undefined);
  const at = where(config);
  try {
    await waitForRedis(client, REACH_TIMEOUT_MS);
  } catch (error) {
    client.disconnect();
    return {
      results: [
        fail(
          'Redis reachable',
          `${at}: ${reason(error)}`,
          'start Redis or correct REDIS_URL (or REDIS_SENTINELS, REDIS_CLUSTER_NODES) and REDIS_USERNAME/REDIS_PASSWORD',
        ),
      ],
    };
  }
  const results: CheckResult[] = [];
  const info = await client.info();
  const version = infoField(info, 'redis_version') ?? 'unknown';
  results.push(pass('Redis reachable', at));
  results.push(
    Number(version.split('.')[0]) >= MIN_MAJOR
      ? pass('Redis version', version)
      : fail('Redis version', `${version} is too old`, `run Redis ${MIN_MAJOR} or newer (BullMQ 6 needs it)`),
  );
  results.push(await checkEviction(client));
  results.push(checkPersistence(info, await configGet(client, 'save')));
  return { results, client };
}

async function configGet(client: RedisClient, name: string): Promise<string | undefined> {
  try {
    const answer = (await client.config('GET', name)) as string[];
    return answer[1];
  } catch {
    return undefined;
  }
}

async function checkEviction(client: RedisClient): Promise<CheckResult> {
  const policy = await configGet(client, 'maxmemory-policy');
  if (policy === undefined) {
    return pass(
      'Redis maxmemory-policy',
      'not readable by this user (CONFIG GET refused): check it is noeviction',
    );
  }
  return policy === 'noeviction'
    ? pass('Redis maxmemory-policy', policy)
    : fail(
        'Redis maxmemory-policy',
        `${policy}: Redis may evict queue keys and BullMQ then loses jobs silently`,
        'set maxmemory-policy noeviction (redis.conf, or CONFIG SET maxmemory-policy noeviction)',
      );
}

function checkPersistence(info: string, save: string | undefined): CheckResult {
  if (infoField(info, 'aof_enabled') === '1') return pass('Redis persistence', 'AOF on');
  if (save !== undefined && save !== '')
    return pass('Redis persistence', `RDB snapshots only (save ${save})`);
  return fail(
    'Redis persistence',
    'neither AOF nor RDB snapshots: a Redis restart loses every queued ticket',
    'set appendonly yes (redis.conf, or CONFIG SET appendonly yes)',
  );
}
