import { loadConfig } from '@tbe/shared/config/index';
import { expectPositionals } from '../args.ts';
import { UsageError } from '../errors.ts';
import { exitOnSignal } from '../roles/signals.ts';
import type { Command } from './types.ts';

const ROLES = ['producer', 'worker', 'dashboard', 'all'] as const;
type RoleName = (typeof ROLES)[number];

export const runCommand: Command = {
  name: 'run',
  synopsis: '<producer|worker|dashboard|all>',
  summary: 'run a role (all: the three in one process)',
  details: [
    'Configuration comes from the environment (X_FILE may replace any secret X).',
    'Each role serves /healthz, /readyz and /metrics on HTTP_PORT (default 3000).',
    'all: the dashboard on HTTP_PORT, the producer on HTTP_PORT+1, the worker on HTTP_PORT+2',
    '     (HTTP_PORT=0: three free ports).',
  ],
  options: {},
  async run(args, io) {
    const [name = ''] = expectPositionals('run', args, ['<producer|worker|dashboard|all>']);
    const role = ROLES.find((r) => r === name);
    if (role === undefined)
      throw new UsageError(`unknown role ${JSON.stringify(name)} (expected ${ROLES.join(', ')})`, 'run');
    // A bad configuration is reported before the role's modules are loaded (which takes seconds).
    loadConfig(io.env, role);
    await start(role, io.env);
    return 'running';
  },
};

/**
 * Each single role handles its own signals (and exits); `all` stops the three together. Roles
 * are loaded on use: the admin commands start faster without BullMQ, Express and Bull Board.
 */
async function start(role: RoleName, env: Record<string, string | undefined>): Promise<void> {
  switch (role) {
    case 'producer': {
      const { runProducer } = await import('@tbe/producers');
      await runProducer(env);
      return;
    }
    case 'worker': {
      const { runWorker } = await import('@tbe/workers');
      await runWorker(env);
      return;
    }
    case 'dashboard': {
      const { runDashboard } = await import('@tbe/dashboard');
      await runDashboard(env);
      return;
    }
    case 'all': {
      const { runAll } = await import('../roles/all.ts');
      const running = await runAll(env, { sidePorts: 'consecutive' });
      const { shutdownTimeoutMs } = loadConfig(env, 'all');
      exitOnSignal(() => running.stop(), shutdownTimeoutMs + 2000);
      return;
    }
  }
}
