import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A redis-server child process on a free loopback port, for tests and benchmarks that need their own. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Sends SIGKILL and waits for the process to exit (a crash: nothing is flushed). */
  kill(): Promise<void>;
  /** Stops the server politely (SHUTDOWN NOSAVE) and removes its directory. */
  stop(): Promise<void>;
  /** Starts the server again on the same port and directory (after `kill`); nothing if it runs. */
  restart(): Promise<void>;
}

export interface RedisServerOptions {
  /** Extra redis-server arguments, e.g. ['--appendonly', 'yes']. */
  args?: string[];
  port?: number;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port from the OS');
  return address.port;
}

/** Whether a `redis-server` binary can be started from PATH. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function waitUntilReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      client.disconnect();
    }
  }
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const dir = await mkdtemp(join(tmpdir(), 'tbe-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ];
  args.push('--maxmemory-policy', 'noeviction', ...(options.args ?? []));
  let child: ChildProcess | undefined;
  const running = (): boolean => child !== undefined && child.exitCode === null && child.signalCode === null;

  // A restart of a server still running does nothing: a second redis-server on the port would
  // fail to bind while the ping answered from the first, which then outlived `stop` (one leaked
  // server per suite run, from a test's clean-up restarting a server it had restarted already).
  const launch = async (): Promise<void> => {
    if (running()) return;
    const started = spawn('redis-server', args, { stdio: 'ignore' });
    child = started;
    await waitUntilReady(url, started, 10_000);
  };
  await launch();

  const kill = async (): Promise<void> => {
    if (!child || !running()) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };

  return {
    url,
    port,
    kill,
    restart: launch,
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
