import { readFile } from 'node:fs/promises';
import type { Redis } from 'ioredis';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SEC = 100;

/** CPU seconds a process has used (user + system), or NaN once it is gone. */
export async function processCpuSeconds(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) are space separated; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SEC;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds redis-server has used, from INFO cpu. */
export async function redisCpuSeconds(client: Redis): Promise<number> {
  const text = await client.info('cpu');
  const read = (name: string): number =>
    Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  return read('used_cpu_user') + read('used_cpu_sys');
}

/** This process's CPU seconds: the simulators and the benchmark's own bookkeeping. */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

export interface CpuSnapshot {
  atMs: number;
  workers: number;
  redis: number;
  bench: number;
}

export async function cpuSnapshot(client: Redis, workerPids: readonly number[]): Promise<CpuSnapshot> {
  const workers = (await Promise.all(workerPids.map(processCpuSeconds))).reduce((a, b) => a + b, 0);
  return { atMs: Date.now(), workers, redis: await redisCpuSeconds(client), bench: ownCpuSeconds() };
}

/** Cores each used on average between two snapshots (2.0 = both cores of this machine busy). */
export function coresUsed(
  before: CpuSnapshot,
  after: CpuSnapshot,
): { workers: number; redis: number; benchAndSimulators: number } {
  const seconds = (after.atMs - before.atMs) / 1000;
  const cores = (a: number, b: number): number => Number(((b - a) / seconds).toFixed(2));
  return {
    workers: cores(before.workers, after.workers),
    redis: cores(before.redis, after.redis),
    benchAndSimulators: cores(before.bench, after.bench),
  };
}
