import { createLogger, loadConfig, startRoleServer } from '@tbe/shared';
import { Registry, startDashboard } from '@tbe/dashboard';
import type { Stack } from '../support/stack.ts';

/** The dashboard role of a test stack, in process, on a free loopback port. */
export interface DashboardRole {
  url: string;
  close(): Promise<void>;
}

/** Starts the dashboard with the stack's environment plus `env` (the admin token at least). */
export async function startDashboardRole(stack: Stack, env: Record<string, string>): Promise<DashboardRole> {
  const config = loadConfig({ ...stack.env, ...env }, 'dashboard');
  const registry = new Registry();
  const logger = createLogger({ level: 'silent', role: 'dashboard' });
  const dashboard = startDashboard({ config, logger, registry, retention: { everyMs: 0 } });
  try {
    const server = await startRoleServer({
      port: 0,
      host: '127.0.0.1',
      readiness: () => dashboard.ready(),
      registry,
      extra: dashboard.handler,
    });
    return {
      url: `http://127.0.0.1:${server.port}`,
      async close() {
        await server.close();
        await dashboard.close();
      },
    };
  } catch (error) {
    await dashboard.close();
    throw error;
  }
}
