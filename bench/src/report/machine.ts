import { execFileSync } from 'node:child_process';
import { cpus, release, totalmem, type } from 'node:os';
import type { Machine } from './types.ts';

export function describeMachine(redisVersion: string): Machine {
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    redis: redisVersion,
    os: `${type()} ${release()}`,
  };
}

/** The commit measured, marked `+dirty` when the work tree has changes outside bench results. */
export function describeCommit(root: string): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync(
      'git',
      ['status', '--porcelain', '--', 'workers', 'producers', 'shared', 'simulators', 'bench/src'],
      { cwd: root, encoding: 'utf8' },
    ).trim();
    return dirty === '' ? commit : `${commit}+dirty`;
  } catch {
    return 'unknown';
  }
}

/** redis-server's version, without starting one. */
export function redisServerVersion(): string {
  try {
    const text = execFileSync('redis-server', ['--version'], { encoding: 'utf8' });
    return /v=([\d.]+)/.exec(text)?.[1] ?? text.trim();
  } catch {
    return 'unknown';
  }
}
