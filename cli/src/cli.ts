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
      io.err(`error: ${error.message} (${usageHint(io, about)})`);
      return 2;
    }
    if (error instanceof ConfigError) {
      for (const line of error.problems) io.err(line);
      return 1;
    }
    if (error instanceof CommandError) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    // Anything else is a bug or an environment failure (a port in use, a crash while starting):
    // one line too, with the stack only at LOG_LEVEL debug or trace.
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    const verbose = io.env.LOG_LEVEL === 'debug' || io.env.LOG_LEVEL === 'trace';
    if (verbose && error instanceof Error && error.stack) io.err(error.stack);
    return 1;
  }
}
