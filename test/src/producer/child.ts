import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A producer process as production runs it (`producers/src/main.ts`), with its JSON log lines. */
export interface ProducerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Parsed log lines so far (a live array). */
  readonly logs: Array<Record<string, unknown>>;
  /** Resolves with the exit code (or signal) once the process is gone. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
  kill(signal: NodeJS.Signals): void;
}

export function spawnProducer(env: Record<string, string>): ProducerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'producers/src/main.ts'], {
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
  const exited = once(child, 'exit').then(([code, signal]) => (code as number | null) ?? (signal as NodeJS.Signals | null));
  if (child.pid === undefined) throw new Error('producer process did not start');
  return { child, pid: child.pid, logs, exited, kill: (signal) => child.kill(signal) };
}
