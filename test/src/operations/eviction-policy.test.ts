import { Cluster, Redis } from 'ioredis';
import { afterEach, describe, expect, test } from 'vitest';
import { checkEvictionPolicy, createLogger, watchEvictionPolicy } from '@tbe/shared';
import { startRedisServer, waitFor, type RedisServer } from '../index.ts';
import { spawnRole } from '../support/role-process.ts';

const logger = createLogger({ level: 'silent', role: 'test' });
const servers: RedisServer[] = [];
const clients: Array<Redis | Cluster> = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function redisWith(policy: string, args: string[] = []): Promise<RedisServer> {
  const server = await startRedisServer({ args: ['--maxmemory-policy', policy, ...args] });
  servers.push(server);
  return server;
}

function client(url: string): Redis {
  const redis = new Redis(url, { retryStrategy: () => 50 });
  redis.on('error', () => undefined);
  clients.push(redis);
  return redis;
}

describe('Redis maxmemory-policy', () => {
  test('when Redis evicts keys, then the check refuses and names the policy; noeviction passes', async () => {
    const evicting = await redisWith('allkeys-lru');
    expect(await checkEvictionPolicy(client(evicting.url))).toEqual({
      kind: 'refused',
      policy: 'allkeys-lru',
    });
    const safe = await redisWith('noeviction');
    expect(await checkEvictionPolicy(client(safe.url))).toEqual({ kind: 'ok' });
  });

  test('when the user may not run CONFIG GET, then the answer is a warning, not a refusal', async () => {
    const server = await redisWith('allkeys-lru');
    await client(server.url).acl('SETUSER', 'app', 'on', '>app-password', '~*', '&*', '+@all', '-config');
    const restricted = client(server.url.replace('redis://', 'redis://app:app-password@'));
    expect(await checkEvictionPolicy(restricted)).toMatchObject({ kind: 'unknown' });
    const warnings: string[] = [];
    const refused: string[] = [];
    const spy = createLogger({
      level: 'warn',
      role: 'test',
      destination: { write: (line: string) => warnings.push(line) },
    });
    watchEvictionPolicy(restricted, { logger: spy, onRefused: (line) => refused.push(line) });
    await waitFor(() => warnings.length === 1, { what: 'a warning' });
    expect(warnings[0]).toContain('maxmemory-policy');
    expect(refused).toEqual([]);
  });

  test('when a connection is made again to a server that now evicts (a failover), then the new connection is refused', async () => {
    const server = await redisWith('noeviction');
    const redis = client(server.url);
    const refused: string[] = [];
    watchEvictionPolicy(redis, { logger, onRefused: (line) => refused.push(line) });
    await waitFor(() => redis.status === 'ready', { what: 'connected' });
    await client(server.url).config('SET', 'maxmemory-policy', 'volatile-lru');
    await client(server.url).client('KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    await waitFor(() => refused.length > 0, { what: 'the reconnection checked' });
    expect(refused[0]).toMatch(/maxmemory-policy volatile-lru: .* set maxmemory-policy noeviction/);
  });

  test('when a Cluster master evicts, then it is refused', async () => {
    // One master holding every slot: the smallest Cluster there is.
    const server = await redisWith('allkeys-lfu', [
      '--cluster-enabled',
      'yes',
      '--cluster-announce-ip',
      '127.0.0.1',
    ]);
    await client(server.url).cluster('ADDSLOTSRANGE', 0, 16383);
    const cluster = new Cluster([{ host: '127.0.0.1', port: server.port }], {
      clusterRetryStrategy: () => 100,
    });
    cluster.on('error', () => undefined);
    clients.push(cluster);
    const refused: string[] = [];
    watchEvictionPolicy(cluster, { logger, onRefused: (line) => refused.push(line) });
    await waitFor(() => refused.length > 0, { what: 'the master checked', timeoutMs: 15_000 });
    expect(refused[0]).toContain(`127.0.0.1:${server.port} has maxmemory-policy allkeys-lfu`);
  });

  test('when a role starts on a Redis that evicts, then it exits 1 with one line saying so', async () => {
    const server = await redisWith('allkeys-lru');
    const role = spawnRole('dashboard', {
      REDIS_URL: server.url,
      ADMIN_TOKEN: 'a-token-long-enough-0123456789',
      HTTP_PORT: '0',
      QUEUE_PREFIX: 'tbe-eviction-test',
    });
    expect(await role.exited).toBe(1);
    const lines = role.logs.filter(
      (line) => typeof line.msg === 'string' && line.msg.includes('maxmemory-policy'),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 60 });
  });
  test('when Redis refuses our password, then the check stays quiet (the role logs the auth line itself)', async () => {
    const server = await redisWith('allkeys-lru');
    // Set once it is up (starting it checks it with a bare PING).
    await client(server.url).config('SET', 'requirepass', 'right-password');
    // No ready check: ioredis reports `ready` before Redis answered AUTH, so the check runs on a
    // connection whose credentials Redis refuses (a wrong password: WRONGPASS; none: NOAUTH).
    const connect = (auth: string): { redis: Redis; readies: () => number } => {
      const redis = new Redis(server.url.replace('redis://', auth), {
        enableReadyCheck: false,
        retryStrategy: () => 50,
      });
      redis.on('error', () => undefined);
      clients.push(redis);
      let readies = 0;
      redis.on('ready', () => readies++);
      return { redis, readies: () => readies };
    };
    const wrong = connect('redis://:wrong-password@');
    const none = connect('redis://');
    const warnings: string[] = [];
    const refused: string[] = [];
    const spy = createLogger({
      level: 'warn',
      role: 'test',
      destination: { write: (line: string) => warnings.push(line) },
    });
    for (const { redis } of [wrong, none])
      watchEvictionPolicy(redis, { logger: spy, onRefused: (line) => refused.push(line) });
    // The wrong password's connection is dropped and made again: several were checked.
    await waitFor(() => wrong.readies() >= 3 && none.readies() >= 1, { what: 'checked connections' });
    // Redis answers in order: once a later command is answered, so was the check's CONFIG GET.
    await expect(none.redis.ping()).rejects.toThrow(/NOAUTH/);
    expect(warnings).toEqual([]);
    expect(refused).toEqual([]);
  }, 30_000);
});
