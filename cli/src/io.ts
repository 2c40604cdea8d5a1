import { basename } from 'node:path';
import { neutralise } from './output/terminal.ts';

/** What a command may touch of its process: tests and the demo pass their own. */
export interface Io {
  /** How the operator called us, for usage lines: `pnpm tbe` or `ticketing-be`. */
  readonly prog: string;
  readonly env: Record<string, string | undefined>;
  /** One line of the command's answer (stdout). */
  readonly out: (line: string) => void;
  /** One line of diagnostics (stderr). */
  readonly err: (line: string) => void;
}

export function processIo(): Io {
  return {
    prog: programName(process.argv[1] ?? ''),
    env: process.env,
    // Whatever a line holds (platform and WM texts come through the API), the terminal only shows it.
    out: (line) => process.stdout.write(`${neutralise(line)}\n`),
    err: (line) => process.stderr.write(`${neutralise(line)}\n`),
  };
}

/** `cli/src/main.ts` is run by `pnpm tbe`; the image's bin script is `ticketing-be`. */
function programName(script: string): string {
  const base = basename(script).replace(/\.[cm]?[jt]s$/, '');
  return base === 'main' || base === '' ? 'pnpm tbe' : base;
}

/**
 * What a command answers: an exit code, or `running` for the long-lived ones (run, simulate,
 * demo), which exit by themselves on a signal.
 */
export type Outcome = number | 'running';
