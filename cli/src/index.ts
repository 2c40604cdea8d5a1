// For tests and tools that drive the CLI in-process.
export { runCli } from './cli.ts';
export type { Io, Outcome } from './io.ts';
export type { RunningAll, RunAllOptions } from './roles/all.ts';
export { COMMANDS, COMMAND_GROUPS } from './commands/index.ts';
