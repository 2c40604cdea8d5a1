import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';
import { freePort } from '../setup/redis-server.ts';
import { waitFor } from './wait-for.ts';

/**
 * Real redis-servers in the shapes production runs (TLS, ACL users, Sentinel, Cluster), each on
 * free loopback ports, for the tests of those modes. Every server a topology starts is stopped by
 * its `stop()`, which tests call in `afterEach`, so a failing test leaves none behind.
 */
export interface RedisNode {
  readonly port: number;
  readonly dir: string;
  /** SIGKILL (a crash: nothing flushed, no goodbye to replicas or sentinels). */
  kill(): Promise<void>;
}

export interface Topology {
  readonly nodes: RedisNode[];
  /** Starts one more server with these arguments (on `port`, in a directory of its own). */
  start(args: string[], options?: { port?: number; sentinel?: boolean }): Promise<RedisNode>;
  /** Kills every server started and removes their directories (and the certificates). */
  stop(): Promise<void>;
  readonly dir: string;
}

export async function createTopology(): Promise<Topology> {
  const root = await mkdtemp(join(tmpdir(), 'tbe-topology-'));
  const children: ChildProcess[] = [];
  const nodes: RedisNode[] = [];
  return {
    nodes,
    dir: root,
    async start(args, options = {}) {
      const port = options.port ?? (await freePort());
      const dir = await mkdtemp(join(root, `node-${port}-`));
      const conf = join(dir, options.sentinel ? 'sentinel.conf' : 'redis.conf');
      // Sentinel rewrites its configuration file, so every server gets one (empty here).
      await writeFile(conf, '');
      const base = ['--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'];
      const argv = [conf, ...(options.sentinel ? ['--sentinel'] : ['--maxmemory-policy', 'noeviction'])];
      const child = spawn('redis-server', [...argv, '--port', String(port), ...base, ...args], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr?.resume();
      children.push(child);
      const node: RedisNode = {
        port,
        dir,
        async kill() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = once(child, 'exit');
          child.kill('SIGKILL');
          await exited;
        },
      };
      nodes.push(node);
      return node;
    },
    async stop() {
      await Promise.all(
        children.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = once(child, 'exit');
          child.kill('SIGKILL');
          await exited;
        }),
      );
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Waits until a server answers PING with these connection options (TLS, user, password). */
export async function waitForNode(
  port: number,
  options: RedisOptions = {},
  timeoutMs = 10_000,
): Promise<void> {
  await waitFor(
    async () => {
      const client = new Redis({
        host: '127.0.0.1',
        port,
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        ...options,
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        return (await client.ping()) === 'PONG';
      } finally {
        client.disconnect();
      }
    },
    { timeoutMs, intervalMs: 50, what: `redis-server on ${port}` },
  );
}

export interface Certificates {
  caFile: string;
  certFile: string;
  keyFile: string;
}

/**
 * A CA and a server certificate for 127.0.0.1 and localhost, made with openssl in `dir` (the
 * test's own: nothing is checked in, nothing outlives the test).
 */
export function makeCertificates(dir: string): Certificates {
  const path = (name: string) => join(dir, name);
  const run = (args: string[]) => {
    const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
  };
  run(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=tbe-test-ca'].concat([
      '-keyout',
      path('ca.key'),
      '-out',
      path('ca.crt'),
    ]),
  );
  run(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1'].concat([
      '-keyout',
      path('server.key'),
      '-out',
      path('server.csr'),
    ]),
  );
  writeFileSync(path('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run(
    ['x509', '-req', '-in', path('server.csr'), '-CA', path('ca.crt'), '-CAkey', path('ca.key')].concat([
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      path('san.ext'),
      '-out',
      path('server.crt'),
    ]),
  );
  return { caFile: path('ca.crt'), certFile: path('server.crt'), keyFile: path('server.key') };
}

/** redis-server arguments that serve TLS only (no plain port) with these certificates. */
export function tlsArgs(certs: Certificates, tlsPort: number): string[] {
  return [
    '--port',
    '0',
    '--tls-port',
    String(tlsPort),
    '--tls-cert-file',
    certs.certFile,
    '--tls-key-file',
    certs.keyFile,
    '--tls-ca-cert-file',
    certs.caFile,
    // Clients prove nothing with certificates: they authenticate with a user and password.
    '--tls-auth-clients',
    'no',
  ];
}
