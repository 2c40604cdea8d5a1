import type { Size } from './context.ts';

export interface Args {
  scenarios: string[];
  size: Size;
  /** undefined: the scenario's default at full size, 1 otherwise. */
  runs: number | undefined;
  outDir: string | undefined;
  profile: boolean;
  help: boolean;
}

export const USAGE = `usage: pnpm bench [scenario...] [--size quick|full|<n>] [--runs n] [--out dir] [--profile]
  scenario   one or more of the scenarios below (default: all)
  --size     quick: each scenario in about a minute; full (default): the issue's sizes;
             <n>: that many tickets for every scenario
  --runs     runs per scenario, median reported (default at full size: 3, naive 2,
             memory 1; otherwise 1)
  --out      where results go (default bench/results)
  --profile  worker processes write V8 CPU profiles; their hottest functions go in the results`;

/** Parses `pnpm bench` arguments; throws a one-line message on bad usage. */
export function parseArgs(argv: readonly string[], known: readonly string[]): Args {
  const args: Args = {
    scenarios: [],
    size: 'full',
    runs: undefined,
    outDir: undefined,
    profile: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--help' || arg === '-h') args.help = true;
    else if (arg === '--profile') args.profile = true;
    else if (arg === '--size') args.size = parseSize(value());
    else if (arg === '--runs') args.runs = positive(value(), '--runs');
    else if (arg === '--out') args.outDir = value();
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else if (!known.includes(arg)) throw new Error(`unknown scenario ${arg} (known: ${known.join(', ')})`);
    else args.scenarios.push(arg);
  }
  if (args.scenarios.length === 0) args.scenarios = [...known];
  return args;
}

function parseSize(value: string): Size {
  if (value === 'quick' || value === 'full') return value;
  return positive(value, '--size');
}

function positive(value: string, what: string): number {
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`${what} expects a positive whole number, got ${value}`);
  return n;
}
