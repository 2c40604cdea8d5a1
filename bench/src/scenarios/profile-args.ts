import { join } from 'node:path';
import type { BenchContext } from '../context.ts';
import { summariseProfiles, type ProfileSummary } from '../measure/profile.ts';

const dirOf = (ctx: BenchContext, scenario: string, run: number): string =>
  join(ctx.profileDir, `${scenario}-run${run + 1}`);

/** Node flags that make a worker process write a CPU profile on exit, when `--profile` was given. */
export function workerProfileArgs(ctx: BenchContext, scenario: string, run: number): string[] | undefined {
  if (!ctx.profile) return undefined;
  return ['--cpu-prof', `--cpu-prof-dir=${dirOf(ctx, scenario, run)}`];
}

/** The summaries of the profiles that run wrote (none without `--profile`). */
export async function workerProfiles(
  ctx: BenchContext,
  scenario: string,
  run: number,
): Promise<ProfileSummary[] | undefined> {
  return ctx.profile ? summariseProfiles(dirOf(ctx, scenario, run)) : undefined;
}
