import { loadConfig } from '@tbe/shared/config/index';
import type { OptionSpec, ParsedArgs } from '../args.ts';
import { adminClient, type AdminClient } from '../api/client.ts';
import { CommandError } from '../errors.ts';
import type { Io } from '../io.ts';
import type { Command } from './types.ts';

const JSON_OPTION: OptionSpec = { type: 'boolean', description: "print the API's JSON answer as it came" };

/** A command that talks to the admin API: parse (bad usage), call, print. */
export interface AdminCommandSpec<Input> {
  readonly name: string;
  readonly synopsis: string;
  readonly summary: string;
  readonly options?: Readonly<Record<string, OptionSpec>>;
  readonly details?: readonly string[];
  /** Throws UsageError; runs before the configuration is read, so bad usage is always exit 2. */
  parse(args: ParsedArgs): Input;
  call(api: AdminClient, input: Input): Promise<unknown>;
  /** The readable form of the answer (without --json). */
  print(answer: unknown, input: Input, io: Io): void;
}

export function adminCommand<Input>(spec: AdminCommandSpec<Input>): Command {
  return {
    name: spec.name,
    synopsis: spec.synopsis,
    summary: spec.summary,
    details: spec.details,
    options: { ...spec.options, json: JSON_OPTION },
    async run(args, io) {
      const input = spec.parse(args);
      // TBE_URL and ADMIN_TOKEN (or ADMIN_TOKEN_FILE); a ConfigError is exit 1, one line each.
      const config = loadConfig(io.env, 'cli');
      if (config.adminToken === undefined) throw new CommandError('ADMIN_TOKEN: required by the cli role');
      const api = adminClient({ baseUrl: config.tbeUrl, token: config.adminToken });
      const answer = await spec.call(api, input);
      if (args.flags.has('json')) io.out(JSON.stringify(answer, null, 2));
      else spec.print(answer, input, io);
      return 0;
    },
  };
}

/** A path segment as typed by the operator (WM ids may hold `/`, `:` or spaces). */
export const segment = encodeURIComponent;
