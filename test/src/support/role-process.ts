import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const ENTRIES = {
  producer: 'producers/src/main.ts',
  worker: 'workers/src/main.ts',
  dashboard: 'dashboard/src/main.ts',
} as const;

/** A role running as production runs it (its `main.ts` in a process of its own), with its JSON log lines. */
export interface RoleProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Parsed log lines so far (a live array). */
  readonly logs: Array<Record<string, unknown>>;
  /** Resolves with the exit code (or signal) once the process is gone. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
  kill(signal: NodeJS.Signals): void;
}

export function spawnRole(role: keyof typeof ENTRIES, env: Record<string, string>): RoleProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRIES[role]], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      logs.push({ msg: line });
    }
  });
  // Keep stderr flowing (a full pipe would block the child) and visible when something breaks.
  createInterface({ input: child.stderr }).on('line', (line) => logs.push({ stderr: line }));
  const exited = once(child, 'exit').then(
    ([code, signal]) => (code as number | null) ?? (signal as NodeJS.Signals | null),
  );
  if (child.pid === undefined) throw new Error(`${role} process did not start`);
  return { child, pid: child.pid, logs, exited, kill: (signal) => child.kill(signal) };
}
