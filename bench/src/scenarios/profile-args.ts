import { join } from 'node:path';
import type { BenchContext } from '../context.ts';

/** Node flags that make a worker process write a CPU profile on exit, when `--profile` was given. */
export function workerProfileArgs(ctx: BenchContext, scenario: string, run: number): string[] | undefined {
  if (!ctx.profile) return undefined;
  return ['--cpu-prof', `--cpu-prof-dir=${join(ctx.outDir, 'profiles', `${scenario}-run${run + 1}`)}`];
}
