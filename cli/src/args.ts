import { parseArgs } from 'node:util';
import { isPlatform, PLATFORMS, type Platform } from '@tbe/shared/platforms';
import { SETTING_NAMES, type SettingName } from '@tbe/shared/settings';
import { UsageError } from './errors.ts';

export interface OptionSpec {
  type: 'boolean' | 'string';
  /** Shown in help, e.g. `<n>`. */
  valueName?: string;
  description: string;
}

export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: ReadonlySet<string>;
  readonly strings: ReadonlyMap<string, string>;
}

/**
 * Splits a command's arguments into positionals and known options. Every unknown option and
 * every option without its value is bad usage. A negative number (`-1`) is a positional: it is
 * a value an operator may type, and the API answers it with the allowed range.
 */
export function parseCommandArgs(
  command: string,
  argv: string[],
  options: Record<string, OptionSpec>,
): ParsedArgs {
  // Types tell parseArgs which options take the next argument as their value; `strict: false`
  // so that the checks below, not parseArgs' long messages, word every usage error.
  const types = Object.fromEntries(
    Object.entries(options).map(([name, spec]) => [name, { type: spec.type }]),
  );
  const { tokens } = parseArgs({
    args: argv,
    options: types,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const positionals: string[] = [];
  const flags = new Set<string>();
  const strings = new Map<string, string>();
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    if (/^-\d+$/.test(token.rawName)) {
      positionals.push(token.rawName);
      continue;
    }
    const spec = options[token.name];
    if (spec === undefined) throw new UsageError(`unknown option ${token.rawName} for ${command}`, command);
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`, command);
      flags.add(token.name);
    } else {
      if (token.value === undefined || token.value === '')
        throw new UsageError(`${token.rawName} needs a value`, command);
      strings.set(token.name, token.value);
    }
  }
  return { positionals, flags, strings };
}

/** Exactly `names.length` positionals, or bad usage naming the first missing or extra one. */
export function expectPositionals(command: string, args: ParsedArgs, names: readonly string[]): string[] {
  const missing = names[args.positionals.length];
  if (missing !== undefined) throw new UsageError(`${command} needs ${missing}`, command);
  const extra = args.positionals[names.length];
  if (extra !== undefined)
    throw new UsageError(`unexpected argument ${JSON.stringify(extra)} for ${command}`, command);
  return args.positionals;
}

export function platformArg(command: string, value: string): Platform {
  if (isPlatform(value)) return value;
  throw new UsageError(
    `unknown platform ${JSON.stringify(value)} (expected ${PLATFORMS.join(', ')})`,
    command,
  );
}

/** A platform or `all` (the processing switch accepts `all`; operations.md). */
export function platformOrAllArg(command: string, value: string): Platform | 'all' {
  if (value === 'all') return 'all';
  if (isPlatform(value)) return value;
  throw new UsageError(
    `unknown platform ${JSON.stringify(value)} (expected ${PLATFORMS.join(', ')} or all)`,
    command,
  );
}

export function settingArg(command: string, value: string): SettingName {
  const found = SETTING_NAMES.find((name) => name === value);
  if (found !== undefined) return found;
  throw new UsageError(
    `unknown setting ${JSON.stringify(value)} (expected ${SETTING_NAMES.join(', ')})`,
    command,
  );
}

/** An integer as typed; its range is the API's to judge (it answers 400 with the range). */
export function integerArg(command: string, what: string, value: string): number {
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${what} must be an integer, got ${JSON.stringify(value)}`, command);
  }
  return Number(value);
}
