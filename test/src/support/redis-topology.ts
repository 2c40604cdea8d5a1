import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
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
  // The net under `stop()`: a test process that exits without it leaves no server running.
  const killAll = (): void => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killAll);
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
      process.off('exit', killAll);
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
  timeoutMs = 20_000,
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

export interface SentinelSet {
  master: RedisNode;
  replica: RedisNode;
  sentinels: RedisNode[];
  /** The variables that point the roles at this set. */
  env: Record<string, string>;
}

/**
 * A master, one replica and three sentinels (quorum 2) watching `tbe`, all with passwords: the
 * data nodes `password`, the sentinels `sentinelPassword`. A failover starts one second after
 * the master stops answering. Resolves when the sentinels know the replica and each other.
 */
export async function startSentinelSet(
  topology: Topology,
  auth: { password: string; sentinelPassword: string },
  certs?: Certificates,
): Promise<SentinelSet> {
  // TLS only when certificates are given: client ports, replication and the sentinels' links.
  const tlsOn = async (): Promise<{ port: number; args: string[] }> => {
    const port = await freePort();
    return { port, args: certs ? [...tlsArgs(certs, port), '--tls-replication', 'yes'] : [] };
  };
  const tls = certs ? { tls: { ca: readFileSync(certs.caFile) } } : {};
  const dataArgs = ['--requirepass', auth.password, '--masterauth', auth.password];
  const masterTls = await tlsOn();
  const master = await topology.start([...dataArgs, ...masterTls.args], { port: masterTls.port });
  await waitForNode(master.port, { password: auth.password, ...tls });
  const replicaTls = await tlsOn();
  const replica = await topology.start(
    [...dataArgs, ...replicaTls.args, '--replicaof', '127.0.0.1', String(master.port)],
    { port: replicaTls.port },
  );
  await waitForNode(replica.port, { password: auth.password, ...tls });
  const sentinelArgs = [
    ...['--sentinel', 'monitor', 'tbe', '127.0.0.1', String(master.port), '2'],
    ...['--sentinel', 'down-after-milliseconds', 'tbe', '1000'],
    ...['--sentinel', 'failover-timeout', 'tbe', '10000'],
    ...['--sentinel', 'auth-pass', 'tbe', auth.password],
    // The sentinels' own password; they present it to each other too.
    ...['--requirepass', auth.sentinelPassword],
  ];
  const sentinels = await Promise.all(
    [0, 1, 2].map(async () => {
      const own = await tlsOn();
      return topology.start([...sentinelArgs, ...own.args], { sentinel: true, port: own.port });
    }),
  );
  for (const sentinel of sentinels) {
    await waitForNode(sentinel.port, { password: auth.sentinelPassword, ...tls });
    const client = new Redis({
      host: '127.0.0.1',
      port: sentinel.port,
      password: auth.sentinelPassword,
      ...tls,
    });
    try {
      await waitFor(
        async () => {
          const replicas = (await client.call('SENTINEL', 'REPLICAS', 'tbe')) as unknown[];
          const peers = (await client.call('SENTINEL', 'SENTINELS', 'tbe')) as unknown[];
          return replicas.length === 1 && peers.length === 2;
        },
        {
          timeoutMs: 20_000,
          intervalMs: 100,
          what: `sentinel ${sentinel.port} to know the replica and its peers`,
        },
      );
    } finally {
      client.disconnect();
    }
  }
  return {
    master,
    replica,
    sentinels,
    env: {
      REDIS_SENTINELS: sentinels.map((sentinel) => `127.0.0.1:${sentinel.port}`).join(','),
      REDIS_SENTINEL_NAME: 'tbe',
      REDIS_PASSWORD: auth.password,
      REDIS_SENTINEL_PASSWORD: auth.sentinelPassword,
    },
  };
}

/**
 * Three masters with `cluster-enabled yes`, joined by `redis-cli --cluster create` (every slot
 * covered, no replicas), with a password, and TLS only (client, bus and replication) when
 * certificates are given. Resolves when each node says `cluster_state:ok`.
 */
export async function startCluster(
  topology: Topology,
  password: string,
  certs?: Certificates,
): Promise<RedisNode[]> {
  const ports = await Promise.all([0, 1, 2].map(() => freePort()));
  const nodes = await Promise.all(
    ports.map((port) =>
      topology.start(
        [
          ...['--cluster-enabled', 'yes', '--cluster-node-timeout', '2000'],
          ...['--requirepass', password, '--masterauth', password],
          ...(certs ? [...tlsArgs(certs, port), '--tls-cluster', 'yes', '--tls-replication', 'yes'] : []),
        ],
        { port },
      ),
    ),
  );
  const tls = certs ? { tls: { ca: readFileSync(certs.caFile) } } : {};
  // cluster-config-file defaults to nodes.conf in --dir: each node has a directory of its own.
  for (const node of nodes) await waitForNode(node.port, { password, ...tls });
  const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
  const tlsCli = certs ? ['--tls', '--cacert', certs.caFile] : [];
  const created = spawnSync('redis-cli', [...tlsCli, '--cluster', 'create', ...addresses, '--cluster-yes'], {
    encoding: 'utf8',
    // The password through the environment: never on a command line others can read.
    env: { ...process.env, REDISCLI_AUTH: password },
  });
  if (created.status !== 0)
    throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
  for (const node of nodes) {
    const client = new Redis({ host: '127.0.0.1', port: node.port, password, ...tls });
    try {
      await waitFor(async () => String(await client.call('CLUSTER', 'INFO')).includes('cluster_state:ok'), {
        timeoutMs: 20_000,
        intervalMs: 100,
        what: `cluster node ${node.port} to be ok`,
      });
    } finally {
      client.disconnect();
    }
  }
  return nodes;
}
