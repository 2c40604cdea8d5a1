import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../measure/wait.ts';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Processes a benchmark starts: the product's roles as production runs them, and the baselines. */
export const ENTRIES = {
  worker: 'workers/src/main.ts',
  producer: 'producers/src/main.ts',
  dashboard: 'dashboard/src/main.ts',
  noop: 'bench/src/baselines/noop-worker.ts',
  naive: 'bench/src/baselines/naive-relay.ts',
} as const;
export type Entry = keyof typeof ENTRIES;

export interface ChildOptions {
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
}

export interface Child {
  readonly name: Entry;
  readonly pid: number;
  /** JSON messages the child printed (the baselines speak this way; the roles log pino JSON). */
  readonly messages: Array<Record<string, unknown>>;
  readonly exited: Promise<number | string | null>;
  waitForMessage(event: string, timeoutMs: number): Promise<Record<string, unknown>>;
  /** SIGTERM, then SIGKILL if it is still there after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Its last output lines, for an error message. */
  tail(): string;
}

export function spawnChild(name: Entry, env: Record<string, string>, options: ChildOptions = {}): Child {
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', ENTRIES[name]],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  if (child.pid === undefined) throw new Error(`${name} did not start`);
  const messages: Array<Record<string, unknown>> = [];
  const lines: string[] = [];
  const keep = (line: string): void => {
    lines.push(line);
    if (lines.length > 50) lines.shift();
  };
  // Both pipes are read to the end: a full pipe would block the child.
  createInterface({ input: child.stdout! }).on('line', (line) => {
    keep(line);
    try {
      messages.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // not JSON: kept in the tail only
    }
  });
  createInterface({ input: child.stderr! }).on('line', keep);
  let exitCode: number | string | null | undefined;
  const exited = once(child, 'exit').then(([code, signal]) => {
    exitCode = (code as number | null) ?? (signal as string | null);
    return exitCode;
  });
  const tail = (): string => lines.slice(-15).join('\n');
  return {
    name,
    pid: child.pid,
    messages,
    exited,
    tail,
    async waitForMessage(event, timeoutMs) {
      return waitFor(
        () => {
          const found = messages.find((message) => message.event === event);
          if (found === undefined && exitCode !== undefined)
            throw new Error(`${name} exited (${String(exitCode)}) before "${event}":\n${tail()}`);
          return found;
        },
        `${name} to say "${event}"`,
        timeoutMs,
        20,
      );
    },
    async stop(graceMs = 15_000) {
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resident set size of a process in bytes (Linux /proc), or NaN once it is gone. */
export async function rssBytes(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? Number.NaN : Number(kb) * 1024;
  } catch {
    return Number.NaN;
  }
}

/** Waits until a role's /readyz answers 200 (Redis reachable, platform authenticated). */
export async function waitReady(child: Child, port: number, timeoutMs = 60_000): Promise<void> {
  let exited: number | string | null | undefined;
  void child.exited.then((code) => (exited = code));
  await waitFor(
    async () => {
      if (exited !== undefined)
        throw new Error(`${child.name} exited (${String(exited)}) before it was ready:\n${child.tail()}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/readyz`);
        await response.body?.cancel();
        return response.status === 200;
      } catch {
        return false;
      }
    },
    `${child.name} /readyz`,
    timeoutMs,
  );
}
