import { checkCommand } from './check.ts';
import { deadLettersCommand } from './dead-letters.ts';
import { discardCommand } from './discard.ts';
import { errorsCommand } from './errors.ts';
import { quarantineCommand } from './quarantine.ts';
import { demoCommand } from './demo.ts';
import { helpCommand, type CommandGroups } from './help.ts';
import { pauseCommand, resumeCommand } from './processing.ts';
import { retryCommand } from './retry.ts';
import { runCommand } from './run.ts';
import { setCommand } from './set.ts';
import { simulateCommand } from './simulate.ts';
import { statusCommand } from './status.ts';
import { ticketCommand } from './ticket.ts';
import type { Command } from './types.ts';

export const COMMAND_GROUPS: CommandGroups = {
  processes: [runCommand, simulateCommand, demoCommand, checkCommand],
  admin: [
    statusCommand,
    pauseCommand,
    resumeCommand,
    setCommand,
    ticketCommand,
    errorsCommand,
    quarantineCommand,
    deadLettersCommand,
    retryCommand,
    discardCommand,
  ],
};

export const COMMANDS: readonly Command[] = [
  ...COMMAND_GROUPS.processes,
  ...COMMAND_GROUPS.admin,
  helpCommand(COMMAND_GROUPS),
];

export type { Command };
