import { expectPositionals } from '../args.ts';
import { UsageError } from '../errors.ts';
import type { Io } from '../io.ts';
import { table } from '../output/table.ts';
import type { Command } from './types.ts';

export interface CommandGroups {
  /** Long-lived: they start processes or servers and stop on SIGINT/SIGTERM. */
  processes: readonly Command[];
  /** They talk to the admin API at TBE_URL with ADMIN_TOKEN. */
  admin: readonly Command[];
}

const usageLine = (prog: string, command: Command): string =>
  [prog, command.name, command.synopsis, Object.keys(command.options).length > 0 ? '[options]' : '']
    .filter(Boolean)
    .join(' ');

export function printOverview(groups: CommandGroups, io: Io): void {
  const row = (c: Pick<Command, 'name' | 'synopsis' | 'summary'>): string[] => [
    `  ${[c.name, c.synopsis].filter(Boolean).join(' ')}`,
    c.summary,
  ];
  const help = { name: 'help', synopsis: '[command]', summary: 'this text, or one command in detail' };
  // One table for every group, so that the columns line up across the headings.
  const lines = table(['', ''], [...groups.processes, ...groups.admin, help].map(row)).slice(1);
  const processes = lines.slice(0, groups.processes.length);
  const admin = lines.slice(groups.processes.length, -1);
  [
    'Ticketing BE: relays WM tickets to Cherwell and SFyC.',
    '',
    `Usage: ${io.prog} <command> [arguments] [options]`,
    '',
    'Processes (until SIGINT/SIGTERM):',
    ...processes,
    '',
    'Admin (the dashboard at TBE_URL, with ADMIN_TOKEN; --json prints the API answer):',
    ...admin,
    '',
    ...lines.slice(-1),
    '',
    'Exit codes: 0 done, 1 failed (one line on stderr), 2 bad usage.',
  ].forEach((line) => io.out(line));
}

export function printCommandHelp(command: Command, io: Io): void {
  io.out(`Usage: ${usageLine(io.prog, command)}`);
  io.out('');
  io.out(command.summary);
  for (const line of command.details ?? []) io.out(line);
  const options = Object.entries(command.options);
  if (options.length === 0) return;
  io.out('');
  io.out('Options:');
  table(
    ['', ''],
    options.map(([name, spec]) => [
      `  --${name}${spec.valueName ? ` ${spec.valueName}` : ''}`,
      spec.description,
    ]),
  )
    .slice(1)
    .forEach((line) => io.out(line));
}

/** The `help` command itself: `help` or `help <command>`. */
export function helpCommand(groups: CommandGroups): Command {
  return {
    name: 'help',
    synopsis: '[command]',
    summary: 'this text, or one command in detail',
    options: {},
    run(args, io) {
      if (args.positionals.length === 0) {
        printOverview(groups, io);
        return Promise.resolve(0);
      }
      const [name = ''] = expectPositionals('help', args, ['[command]']);
      const command = [...groups.processes, ...groups.admin].find((c) => c.name === name);
      if (command === undefined) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
      printCommandHelp(command, io);
      return Promise.resolve(0);
    },
  };
}

/** The hint that follows a usage error: the command's usage line, or where to find the list. */
export function usageHint(io: Io, command: Command | undefined): string {
  return command ? `usage: ${usageLine(io.prog, command)}` : `run "${io.prog} help" for the commands`;
}
