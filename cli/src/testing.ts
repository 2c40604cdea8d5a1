import type { Io } from './io.ts';

/** An Io that records what a command printed, for in-process tests. */
export function captureIo(
  env: Record<string, string | undefined> = {},
): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    prog: 'tbe',
    env,
    stdout,
    stderr,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
  };
}
