import type { OptionSpec, ParsedArgs } from '../args.ts';
import type { Io, Outcome } from '../io.ts';

/** One CLI command, as data: help is generated from these fields. */
export interface Command {
  readonly name: string;
  /** What follows the name in the usage line, e.g. `<platform> <setting> <value>`. */
  readonly synopsis: string;
  readonly summary: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Extra help lines (details, examples). */
  readonly details?: readonly string[];
  run(args: ParsedArgs, io: Io): Promise<Outcome>;
}
