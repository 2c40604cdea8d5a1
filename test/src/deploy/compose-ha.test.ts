import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { createRedis, envSchema, loadConfig, SECRET_VARIABLES, type RedisClient } from '@tbe/shared';
import { freePort, waitFor } from '../index.ts';
import { ROOT } from '../cli/child.ts';

// docker compose is not installed here: the HA override is parsed as compose reads it, checked
// statically, and its Redis and Sentinel command lines are run for real with the local
// redis-server (the same shell scripts, with local ports and paths in place of the containers').
interface Service {
  image?: string;
  user?: string;
  hostname?: string;
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  security_opt?: string[];
  mem_limit?: string;
  pids_limit?: number;
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  profiles?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  secrets?: string[];
  volumes?: string[];
}
interface Compose {
  services: Record<string, Service>;
  secrets?: Record<string, unknown>;
  volumes?: Record<string, unknown>;
}

const read = (file: string): Compose =>
  parse(readFileSync(join(ROOT, file), 'utf8'), { merge: true }) as Compose;
const base = read('docker-compose.yml');
const haText = readFileSync(join(ROOT, 'docker-compose.ha.yml'), 'utf8');
const ha = parse(haText, { merge: true }) as Compose;
const service = (name: string): Service => {
  const found = ha.services[name];
  if (!found) throw new Error(`no service ${name} in docker-compose.ha.yml`);
  return found;
};
/** A role as compose runs it with the override: environment merged key by key. */
const role = (name: string): Service => {
  const b = base.services[name] ?? {};
  const o = ha.services[name] ?? {};
  return { ...b, ...o, environment: { ...b.environment, ...o.environment } };
};

const SENTINELS = ['redis-sentinel-1', 'redis-sentinel-2', 'redis-sentinel-3'];
const DATA_NODES = ['redis', 'redis-replica'];
const ROLES = ['producer', 'worker', 'dashboard'];
const script = (s: Service): string => s.command?.join(' ') ?? '';
const KNOWN = new Set([...Object.keys(envSchema.shape), ...SECRET_VARIABLES.map((name) => `${name}_FILE`)]);

describe('docker-compose.ha.yml', () => {
  test('when the HA nodes run, then they are hardened like the base file, pinned to the base Redis image, and only the base file publishes a port', () => {
    for (const name of [...DATA_NODES, ...SENTINELS]) {
      const s = service(name);
      expect(s.image, name).toBe(base.services.redis?.image);
      expect(s.read_only, name).toBe(true);
      expect(s.tmpfs, name).toEqual([expect.stringMatching(/^\/tmp(:|$)/)]);
      expect(s.cap_drop, name).toEqual(['ALL']);
      expect(s.security_opt, name).toContain('no-new-privileges:true');
      expect(s.mem_limit, name).toMatch(/^\d+[mg]$/);
      expect(s.pids_limit, name).toBeGreaterThan(0);
      expect(s.user, name).toBe('redis');
      expect(s.ports, name).toBeUndefined();
      expect(s.profiles, name).toBeUndefined();
    }
    // Compose itself interpolates nothing here: no variable to document.
    expect(haText.replaceAll('$$', '')).not.toMatch(/\$\{?\w/);
  });

  test('when a node or sentinel starts, then its password comes from the secret into the tmpfs, never argv; nodes keep an AOF, never evict, and have masterauth', () => {
    for (const name of [...DATA_NODES, ...SENTINELS]) {
      const s = service(name);
      const command = script(s);
      expect(s.secrets, name).toEqual(['redis_password']);
      expect(s.entrypoint, name).toEqual(['sh', '-c']);
      expect(command, name).toContain('P="$$(cat /run/secrets/redis_password)"');
      expect(command, name).toMatch(/umask 077 &&/);
      expect(command, name).not.toMatch(/--(requirepass|masterauth)/);
      expect(command, name).toMatch(/> \/tmp\/\w+\.conf && exec redis-server \/tmp\/\w+\.conf/);
      expect(s.healthcheck?.test.join(' '), name).toContain(
        'REDISCLI_AUTH="$$(cat /run/secrets/redis_password)"',
      );
    }
    for (const name of DATA_NODES) {
      const command = script(service(name));
      expect(command, name).toContain('"requirepass \\"$$P\\"" "masterauth \\"$$P\\""');
      expect(command, name).toMatch(/--appendonly yes/);
      expect(command, name).toMatch(/--maxmemory-policy noeviction/);
      // Each announces the name the sentinels and the roles reach it by.
      expect(command, name).toContain(`'replica-announce-ip ${name}'`);
    }
    expect(script(service('redis-replica'))).toMatch(/--replicaof redis 6379$/);
    expect(service('redis-replica').volumes).toEqual(['redis-replica-data:/data']);
    expect(Object.keys(ha.volumes ?? {})).toEqual(['redis-replica-data']);
    // The secrets are the base file's: none added.
    expect(ha.secrets).toBeUndefined();
  });

  test('when the sentinels start, then all three monitor `redis` as tbe with quorum 2 on 26379, with auth-pass, each announcing its own name', () => {
    for (const name of SENTINELS) {
      const s = service(name);
      const command = script(s);
      expect(s.hostname, name).toBe(name);
      expect(command, name).toContain("'sentinel monitor tbe redis 6379 2'");
      expect(command, name).toContain('"sentinel auth-pass tbe \\"$$P\\""');
      expect(command, name).toContain('"requirepass \\"$$P\\""');
      expect(command, name).toContain("'port 26379'");
      expect(command, name).toContain('"sentinel announce-ip $$(hostname)"');
      expect(command, name).toContain("'sentinel resolve-hostnames yes' 'sentinel announce-hostnames yes'");
      expect(command, name).toMatch(/--sentinel$/);
      expect(s.depends_on?.redis?.condition, name).toBe('service_healthy');
      expect(s.healthcheck?.test.join(' '), name).toContain(
        '-p 26379 sentinel get-master-addr-by-name tbe | grep -qx 6379',
      );
    }
  });

  test('when the roles run with the override, then they use the three sentinels, the password secret, and no REDIS_URL', () => {
    for (const name of ROLES) {
      const s = role(name);
      const env = s.environment ?? {};
      for (const variable of Object.keys(ha.services[name]?.environment ?? {}))
        expect(KNOWN, `${name}: ${variable}`).toContain(variable);
      expect(env.REDIS_SENTINELS, name).toBe(SENTINELS.map((host) => `${host}:26379`).join(','));
      expect(env.REDIS_SENTINEL_NAME, name).toBe('tbe');
      expect(env.REDIS_PASSWORD_FILE, name).toBe('/run/secrets/redis_password');
      expect(env.REDIS_SENTINEL_PASSWORD_FILE, name).toBe('/run/secrets/redis_password');
      expect(env.REDIS_URL_FILE, name).toBe('');
      expect(s.secrets, name).toContain('redis_password');
      expect(s.secrets, name).toEqual(expect.arrayContaining(base.services[name]?.secrets ?? []));
      for (const sentinel of SENTINELS) expect(s.depends_on?.[sentinel]?.condition).toBe('service_healthy');
      // What the role's configuration makes of it: Sentinel, both passwords from the file.
      const config = loadConfig(
        {
          ...defaults(env),
          ADMIN_TOKEN: 'x'.repeat(32),
          WM_URL: 'http://wm',
          WORKER_PLATFORMS: 'sfyc',
          ...sfyc,
        },
        name as 'producer' | 'worker' | 'dashboard',
        (path) => (path === '/run/secrets/redis_password' ? 'the-password\n' : 'redis://:other@redis:6379'),
      );
      expect(config.redis).toEqual({
        kind: 'sentinel',
        sentinels: SENTINELS.map((host) => ({ host, port: 26379 })),
        name: 'tbe',
        password: 'the-password',
        sentinelPassword: 'the-password',
      });
    }
  });

  describe('run with the local redis-server', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tbe-ha-'));
    const children: ChildProcess[] = [];
    const clients: RedisClient[] = [];
    const PASSWORD = 'ha-test-password';
    const secret = join(dir, 'redis_password');
    writeFileSync(secret, `${PASSWORD}\n`);
    afterAll(async () => {
      for (const client of clients) client.disconnect();
      await Promise.all(
        children.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = once(child, 'exit');
          child.kill('SIGKILL');
          await exited;
        }),
      );
      rmSync(dir, { recursive: true, force: true });
    });

    /** The compose shell text as the container's shell sees it, on this machine's ports and paths. */
    const localise = (text: string, name: string, masterPort: number): string =>
      text
        .replaceAll('$$', '$')
        .replaceAll('/tmp/', `${join(dir, name)}/`)
        .replaceAll('/run/secrets/redis_password', secret)
        .replaceAll('$(hostname)', '127.0.0.1')
        .replaceAll('redis 6379', `127.0.0.1 ${masterPort}`)
        .replace(/replica-announce-ip [\w-]+/, 'replica-announce-ip 127.0.0.1');

    const start = (name: string, port: number, masterPort: number): void => {
      mkdirSync(join(dir, name));
      const command = `${localise(script(service(name)), name, masterPort)} --port ${port} --bind 127.0.0.1 --dir ${join(dir, name)}`;
      const child = spawn('sh', ['-c', command], { cwd: join(dir, name), stdio: 'ignore' });
      children.push(child);
    };
    /** The service's healthcheck, run here: exit 0 is healthy. */
    const healthy = (name: string, port: number, composePort: number, masterPort = port): boolean => {
      const check = (service(name).healthcheck?.test ?? []).slice(1).join(' ');
      const local = localise(check, name, masterPort)
        .replace(`-p ${composePort}`, `-p ${port}`)
        .replace('grep -qx 6379', `grep -qx ${masterPort}`);
      return spawnSync('sh', ['-c', local], { stdio: 'ignore' }).status === 0;
    };
    const client = (port: number): Redis => {
      const redis = new Redis({ port, host: '127.0.0.1', password: PASSWORD, retryStrategy: () => 100 });
      redis.on('error', () => undefined);
      clients.push(redis);
      return redis;
    };

    test('when the nodes and sentinels start from their compose command lines, then the sentinels agree on the master and its replica, the roles reach it, and a failover promotes the replica', async () => {
      const [master, replica, ...sentinels] = await Promise.all(
        [...DATA_NODES, ...SENTINELS].map(async () => await freePort()),
      );
      if (master === undefined || replica === undefined) throw new Error('no ports');
      start('redis', master, master);
      await waitFor(() => healthy('redis', master, 6379), { what: 'redis healthy' });
      start('redis-replica', replica, master);
      SENTINELS.forEach((name, i) => start(name, sentinels[i] ?? 0, master));
      await waitFor(() => healthy('redis-replica', replica, 6379), { what: 'replica healthy' });
      // The sentinels found each other (authenticating with the shared password) and the replica.
      const sentinel = client(sentinels[0] ?? 0);
      const state = await waitFor(
        async () => {
          const raw = (await sentinel.call('SENTINEL', 'MASTER', 'tbe')) as string[];
          const fields = Object.fromEntries(raw.flatMap((v, i) => (i % 2 ? [] : [[v, raw[i + 1]]])));
          return fields['num-other-sentinels'] === '2' && fields['num-slaves'] === '1' && fields;
        },
        { timeoutMs: 30_000, what: 'three sentinels and one replica known' },
      );
      expect(state.quorum).toBe('2');
      expect(state.port).toBe(String(master));
      expect(await sentinel.call('SENTINEL', 'CKQUORUM', 'tbe')).toMatch(/^OK/);
      SENTINELS.forEach((name, i) =>
        expect(healthy(name, sentinels[i] ?? 0, 26379, master), name).toBe(true),
      );
      // The sentinels refuse a client without the password.
      const anonymous = new Redis({ port: sentinels[1] ?? 0, host: '127.0.0.1', lazyConnect: true });
      anonymous.on('error', () => undefined);
      clients.push(anonymous);
      await expect(anonymous.call('SENTINEL', 'MASTERS')).rejects.toThrow(/NOAUTH/);

      // A role's connection, as the role's configuration builds it, writes through the sentinels.
      const roleClient = createRedis(
        {
          kind: 'sentinel',
          sentinels: sentinels.map((port) => ({ host: '127.0.0.1', port })),
          name: 'tbe',
          password: PASSWORD,
          sentinelPassword: PASSWORD,
        },
        'worker',
      );
      roleClient.on('error', () => undefined);
      clients.push(roleClient);
      await roleClient.set('tbe-ha-check', 'before');

      // A failover: the replica (masterauth) becomes the master, the old one follows it.
      // Refused (NOGOODSLAVE) until the sentinel has seen the replica's link up in its INFO.
      await waitFor(async () => (await sentinel.call('SENTINEL', 'FAILOVER', 'tbe')) === 'OK', {
        timeoutMs: 30_000,
        what: 'a failover accepted',
      });
      await waitFor(
        async () =>
          ((await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'tbe')) as string[])[1] ===
          String(replica),
        { timeoutMs: 30_000, what: 'the replica promoted' },
      );
      await waitFor(async () => (await client(master).role())[0] === 'slave', {
        timeoutMs: 30_000,
        what: 'the old master a replica',
      });
      await waitFor(async () => (await roleClient.set('tbe-ha-check', 'after')) === 'OK', {
        timeoutMs: 30_000,
        what: 'the role writing to the new master',
      });
      expect(await client(replica).get('tbe-ha-check')).toBe('after');
    }, 120_000);
  });
});

/** `${NAME:-default}` as compose reads it with NAME unset. */
const defaults = (env: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(env).map(([name, value]) => [
      name,
      value.replace(/^\$\{\w+(?::?-(.*)|:?\+.*)\}$/, (_, fallback?: string) => fallback ?? ''),
    ]),
  );
const sfyc = { SFYC_URL: 'http://sfyc', SFYC_CLIENT_ID: 'id', SFYC_CLIENT_SECRET: 'secret' };
