// The CLI imports @tbe/shared by its deep paths (config, platforms, settings) and loads roles and
// simulators on use: an admin command then starts in about half the time, without Redis
// clients, BullMQ or pino.
import { ConfigError } from '@tbe/shared/config/index';
import { parseCommandArgs } from './args.ts';
import { COMMAND_GROUPS, COMMANDS, type Command } from './commands/index.ts';
import { printCommandHelp, printOverview, usageHint } from './commands/help.ts';
import { CommandError, UsageError } from './errors.ts';
import type { Io, Outcome } from './io.ts';

/**
 * Runs one command line. Exit codes (operations.md): 0 done, 1 failed with a one-line reason
 * (a bad configuration: one line per problem), 2 bad usage with a one-line reason and a hint.
 */
export async function runCli(argv: readonly string[], io: Io): Promise<Outcome> {
  const [name, ...rest] = argv;
  // `--json` asks for machine output, errors included: one JSON line on stderr instead of text.
  const fail = rest.includes('--json') ? jsonFailure(io) : textFailure(io);
  let command: Command | undefined;
  try {
    if (name === undefined || name === '--help' || name === '-h') {
      // No command at all is bad usage: the overview goes to stderr then, like any usage error.
      printOverview(COMMAND_GROUPS, name === undefined ? { ...io, out: io.err } : io);
      return name === undefined ? 2 : 0;
    }
    command = COMMANDS.find((c) => c.name === name);
    if (command === undefined) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
    const args = parseCommandArgs(name, rest, {
      ...command.options,
      help: { type: 'boolean', description: '' },
    });
    if (args.flags.has('help')) {
      printCommandHelp(command, io);
      return 0;
    }
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      const about = error.command === undefined ? undefined : COMMANDS.find((c) => c.name === error.command);
      fail({ code: 'USAGE', message: error.message, hint: usageHint(io, about) });
      return 2;
    }
    if (error instanceof ConfigError) {
      fail({ code: 'CONFIG', message: error.problems.join('; '), lines: error.problems });
      return 1;
    }
    if (error instanceof CommandError) {
      fail({ code: error.code, message: error.message, ...error.details });
      return 1;
    }
    // Anything else is a bug or an environment failure (a port in use, a crash while starting):
    // one line too, with the stack only at LOG_LEVEL debug or trace.
    fail({ code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) });
    const verbose = io.env.LOG_LEVEL === 'debug' || io.env.LOG_LEVEL === 'trace';
    if (verbose && error instanceof Error && error.stack) io.err(error.stack);
    return 1;
  }
}

interface Failure {
  code: string;
  message: string;
  /** A usage error's pointer to help. */
  hint?: string;
  /** A configuration error's lines, one per bad variable. */
  lines?: readonly string[];
  [detail: string]: unknown;
}

type Fail = (failure: Failure) => void;

/** The readable failure: `error: <reason>` (a usage hint after it), or one line per bad variable. */
function textFailure(io: Io): Fail {
  return ({ message, hint, lines }) => {
    if (lines) for (const line of lines) io.err(line);
    else io.err(`error: ${message}${hint ? ` (${hint})` : ''}`);
  };
}

/** `{"error":{"code","message",...}}` on one line, the shape of the admin API's errors. */
function jsonFailure(io: Io): Fail {
  return ({ hint: _hint, lines, ...error }) => {
    const fields = lines?.map((line) => {
      const at = line.indexOf(': ');
      return at < 0 ? { path: '', message: line } : { path: line.slice(0, at), message: line.slice(at + 2) };
    });
    io.err(JSON.stringify({ error: fields ? { ...error, fields } : error }));
  };
}
