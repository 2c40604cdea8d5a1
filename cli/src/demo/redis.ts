import { spawn, type ChildProcess } from 'node:child_process';
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
  /** Stops a redis-server the demo started; nothing for a Redis it found. */
  stop(): Promise<void>;
}

const DEFAULT_PORT = 6379;

/**
 * The demo's Redis: the configured one (REDIS_URL, Sentinel, Cluster); else whatever answers on
 * 127.0.0.1:6379; else a redis-server of its own on a free port, in a temporary directory,
 * without persistence, stopped when the demo stops.
 */
export async function pickDemoRedis(
  env: Record<string, string | undefined>,
  target: RedisTarget,
  /** Where an already running Redis is looked for (tests move it). */
  defaultPort = DEFAULT_PORT,
): Promise<DemoRedis> {
  const configured = Boolean(
    env.REDIS_URL || env.REDIS_URL_FILE || env.REDIS_SENTINELS || env.REDIS_CLUSTER_NODES,
  );
  if (configured) {
    const url = target.kind === 'standalone' ? target.url : undefined;
    const where = url === undefined ? `Redis ${target.kind}` : redactUrl(url).replace(/\/$/, '');
    return { url, description: `${where} (as configured)`, stop: () => Promise.resolve() };
  }
  if (await redisAnswers('127.0.0.1', defaultPort)) {
    const url = `redis://127.0.0.1:${defaultPort}`;
    return { url, description: `${url} (already running)`, stop: () => Promise.resolve() };
  }
  return startOwnRedis(defaultPort);
}

async function startOwnRedis(defaultPort: number): Promise<DemoRedis> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'tbe-demo-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  args.push('--maxmemory-policy', 'noeviction', '--dir', dir);
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const failed = once(child, 'error').then(([error]) => error as NodeJS.ErrnoException);
  const stop = async (): Promise<void> => {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const outcome = await Promise.race([failed, redisAnswers('127.0.0.1', port, 200)]);
    if (outcome === true) break;
    if (outcome instanceof Error) {
      await rm(dir, { recursive: true, force: true });
      throw new CommandError(
        outcome.code === 'ENOENT'
          ? `no Redis: nothing answers on 127.0.0.1:${defaultPort} and redis-server is not on PATH; install Redis ` +
              '(apt-get install redis-server, brew install redis), or run one with Docker ' +
              '(docker run -d -p 6379:6379 redis:7), or set REDIS_URL'
          : `cannot start redis-server (${outcome.code ?? outcome.message})`,
      );
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
  return { url, description: `${url} (started for the demo, stopped with it)`, stop };
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
