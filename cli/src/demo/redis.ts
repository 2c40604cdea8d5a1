import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisTarget } from '@tbe/shared/config/index';
import { redactUrl } from '@tbe/shared/redact-url';
import { CommandError } from '../errors.ts';
import { freePort, redisAnswers } from './redis-probe.ts';

export interface DemoRedis {
  /** REDIS_URL, or undefined when the operator's Sentinel/Cluster variables stay as they are. */
  readonly url: string | undefined;
  /** For the banner: where it is and whose it is. */
  readonly description: string;
  /** Whether the demo started this Redis (and so owns all of its data). */
  readonly own: boolean;
  /** Stops a Redis the demo started; nothing for the operator's. */
  stop(): Promise<void>;
}

/** The image `docker` runs when there is no redis-server on PATH. */
export const DEMO_REDIS_IMAGE = 'redis:7-alpine';
const START_BOUND_MS = 10_000;
/** Without persistence: the demo's data dies with it. `noeviction` as every role requires. */
const EPHEMERAL = ['--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'];

/**
 * The demo's Redis (operations.md, "The demo"): the one the operator names (REDIS_URL,
 * Sentinel, Cluster); otherwise one of its own on a free loopback port, a `redis-server` when one
 * is installed, else a container. It never looks for, uses or clears a Redis nobody named: data
 * it did not create is not its to touch.
 */
export async function pickDemoRedis(
  env: Record<string, string | undefined>,
  target: RedisTarget,
  /** How to reach Docker (tests replace it). */
  docker = 'docker',
): Promise<DemoRedis> {
  const configured = Boolean(
    env.REDIS_URL || env.REDIS_URL_FILE || env.REDIS_SENTINELS || env.REDIS_CLUSTER_NODES,
  );
  if (configured) {
    const url = target.kind === 'standalone' ? target.url : undefined;
    const where = url === undefined ? `Redis ${target.kind}` : redactUrl(url).replace(/\/$/, '');
    return {
      url,
      own: false,
      description: `${where} (yours, from REDIS_URL)`,
      stop: () => Promise.resolve(),
    };
  }
  const port = await freePort();
  const installed = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error === undefined;
  if (installed) return startRedisServer(port);
  const hasDocker = spawnSync(docker, ['version'], { stdio: 'ignore' }).status === 0;
  if (hasDocker) return startRedisContainer(docker, port);
  throw new CommandError(
    'no Redis for the demo: redis-server is not on PATH and Docker is not available; install Redis ' +
      '(apt-get install redis-server, brew install redis) or Docker, or set REDIS_URL to a Redis the demo may use',
  );
}

async function startRedisServer(port: number): Promise<DemoRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'tbe-demo-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', ...EPHEMERAL, '--dir', dir];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const failed = once(child, 'error').then(([error]) => error as NodeJS.ErrnoException);
  const stop = async (): Promise<void> => {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + START_BOUND_MS;
  for (;;) {
    const outcome = await Promise.race([failed, redisAnswers('127.0.0.1', port, 200)]);
    if (outcome === true) break;
    if (outcome instanceof Error) {
      await rm(dir, { recursive: true, force: true });
      throw new CommandError(`cannot start redis-server (${outcome.code ?? outcome.message})`);
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new CommandError(
        `redis-server on port ${port} did not start (exit code ${child.exitCode ?? 'none'})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const url = `redis://127.0.0.1:${port}`;
  return { url, own: true, description: `${url} (redis-server started for the demo, stopped with it)`, stop };
}

async function startRedisContainer(docker: string, port: number): Promise<DemoRedis> {
  const run = spawnSync(
    docker,
    ['run', '-d', '--rm', '-p', `127.0.0.1:${port}:6379`, DEMO_REDIS_IMAGE, 'redis-server', ...EPHEMERAL],
    { encoding: 'utf8' },
  );
  const id = run.stdout.trim();
  if (run.status !== 0 || id === '') {
    throw new CommandError(
      `cannot start Redis in Docker (${run.stderr.trim().split('\n').pop() ?? 'no output'})`,
    );
  }
  const stop = async (): Promise<void> => {
    const child = spawn(docker, ['stop', '-t', '1', id], { stdio: 'ignore' });
    await once(child, 'exit');
  };
  const deadline = Date.now() + START_BOUND_MS;
  while (!(await redisAnswers('127.0.0.1', port, 200))) {
    if (Date.now() > deadline) {
      await stop();
      throw new CommandError(`Redis in Docker (${DEMO_REDIS_IMAGE}) did not answer on port ${port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const url = `redis://127.0.0.1:${port}`;
  return {
    url,
    own: true,
    description: `${url} (${DEMO_REDIS_IMAGE} in Docker, started for the demo, removed with it)`,
    stop,
  };
}

/** SIGTERM (Redis exits at once without persistence), SIGKILL if it lingers past 3 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
