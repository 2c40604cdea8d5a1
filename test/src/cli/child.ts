import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Only what the CLI needs from this machine: PATH (redis-server) and HOME. Nothing of the test
 * runner's own environment (an ADMIN_TOKEN, a REDIS_URL) may change what a test sees.
 */
function baseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `pnpm tbe <args>` as the repository runs it (tsx, cli/src/main.ts), to its exit. */
export function cli(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<CliResult> {
  return runNode(['--import', 'tsx', 'cli/src/main.ts', ...args], env, timeoutMs);
}

/** Any node command line from the repository root, to its exit. */
export async function runNode(
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<CliResult> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** A long-lived CLI process (run, simulate, demo) whose output lines are read as they come. */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  readonly exited: Promise<number | null>;
  /** Sends the signal and resolves with the exit code, or rejects after `withinMs`. */
  stop(signal: NodeJS.Signals, withinMs: number): Promise<number | null>;
}

export function startCli(command: string, args: readonly string[], env: Record<string, string>): CliProcess {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => stdout.push(line));
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    stdout,
    stderr,
    exited,
    async stop(signal, withinMs) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`still running ${withinMs} ms after ${signal}`));
        }, withinMs);
      });
      try {
        return await Promise.race([exited, late]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** The CLI's long-lived command as the repository runs it, in one node process (signals reach it directly). */
export function startCliNode(args: readonly string[], env: Record<string, string>): CliProcess {
  return startCli(process.execPath, ['--import', 'tsx', 'cli/src/main.ts', ...args], env);
}

/** Lines of stderr, without empty ones. */
export const lines = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '');
