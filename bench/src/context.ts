import type { Row } from './report/types.ts';

/** `--size`: `quick` (each scenario in about a minute), `full` (the sizes), or a ticket count. */
export type Size = 'quick' | 'full' | number;

export interface BenchContext {
  size: Size;
  runs: number;
  /** `--profile`: worker processes write a V8 CPU profile, summarised in the results. */
  profile: boolean;
  /** Where this invocation writes its results. */
  outDir: string;
  /** Where worker CPU profiles go (under outDir, one folder per invocation). */
  profileDir: string;
  log(message: string): void;
}

/** The scenario's count for this size: its full one, its quick one, or the number asked for. */
export function sized(ctx: BenchContext, full: number, quick: number): number {
  if (ctx.size === 'full') return full;
  if (ctx.size === 'quick') return quick;
  return ctx.size;
}

export interface ScenarioOutput {
  size: number;
  rows: Row[];
  details: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  /** One line for the table and the report. */
  what: string;
  /** Runs when `--runs` is not given, at full size (default 3); a quick run always makes one. */
  fullRuns?: number;
  run(ctx: BenchContext): Promise<ScenarioOutput>;
}
