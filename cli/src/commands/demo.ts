import { randomBytes } from 'node:crypto';
import { loadConfig } from '@tbe/shared/config/index';
import { expectPositionals } from '../args.ts';
import { printBanner } from '../demo/banner.ts';
import { DEMO_PREFIX, demoEnv } from '../demo/env.ts';
import { pickDemoRedis } from '../demo/redis.ts';
import { portIsFree } from '../demo/redis-probe.ts';
import { exitOnSignal } from '../roles/signals.ts';
import { addOccasionalFaults } from '../sim/faults.ts';
import { SIMULATOR_NAMES } from '../sim/names.ts';
import type { Command } from './types.ts';

/** Changes per second of the WM feed, and the share of platform requests that fail. */
const TRICKLE_PER_S = 2;
const FAULT_SHARE = 0.06;
/** Producer, workers, simulators and Redis in turn; SHUTDOWN_TIMEOUT_MS is 3 s in the demo. */
const STOP_BOUND_MS = 10_000;

export const demoCommand: Command = {
  name: 'demo',
  synopsis: '',
  summary: 'everything on this machine: Redis, simulators with a trickle of tickets, all roles',
  details: [
    'Redis: REDIS_URL when set, else the one on 127.0.0.1:6379, else a redis-server of its own.',
    `Keys under ${DEMO_PREFIX}: (cleared at start). HTTP_PORT when set, else 3000, else a free port.`,
    'ADMIN_TOKEN when set (not printed), else a generated one (printed).',
  ],
  options: {},
  async run(args, io) {
    expectPositionals('demo', args, []);
    // Only the demo may run without ADMIN_TOKEN; the rest of the environment is still checked.
    const config = loadConfig(io.env, 'demo');
    // Loaded on use, like the roles: the admin commands start faster without them.
    const { runAll } = await import('../roles/all.ts');
    const { resetDemoKeys } = await import('../demo/reset.ts');
    const { deploymentVariables, startSimulators } = await import('../sim/start.ts');
    const generatedToken =
      config.adminToken === undefined ? randomBytes(24).toString('base64url') : undefined;
    const stops: (() => Promise<void>)[] = [];
    const stopAll = async (): Promise<void> => {
      for (const stop of stops.splice(0)) await stop().catch(() => undefined);
    };
    try {
      const redis = await pickDemoRedis(io.env, config.redis);
      stops.unshift(() => redis.stop());
      await resetDemoKeys(redis.url ? { kind: 'standalone', url: redis.url } : config.redis, DEMO_PREFIX);

      // The simulators' own credentials: a demo never uses the operator's real ones.
      const none = { wmToken: undefined, cherwell: {}, sfyc: {} };
      const sims = await startSimulators({
        names: SIMULATOR_NAMES,
        host: '127.0.0.1',
        firstPort: 0,
        credentials: none,
      });
      stops.unshift(() => sims.close());
      for (const sim of [sims.cherwell, sims.sfyc]) if (sim) addOccasionalFaults(sim, FAULT_SHARE);

      const httpPort = io.env.HTTP_PORT ? config.httpPort : (await portIsFree(3000)) ? 3000 : 0;
      const env = demoEnv({
        operatorEnv: io.env,
        redisUrl: redis.url,
        simulators: deploymentVariables(sims, '127.0.0.1', none),
        adminToken: config.adminToken ?? generatedToken ?? '',
        httpPort,
      });
      // Loopback only, as the banner says: the demo's admin token is printed on the terminal.
      const all = await runAll(env, { sidePorts: 'free', host: '127.0.0.1' });
      stops.unshift(() => all.stop());
      sims.wm?.startTrickle({ ticketsPerSecond: TRICKLE_PER_S });

      printBanner(io, {
        port: all.ports.dashboard,
        generatedToken,
        redis: redis.description,
        prefix: DEMO_PREFIX,
        simulators: sims,
        ports: all.ports,
      });
    } catch (error) {
      await stopAll();
      throw error;
    }
    exitOnSignal(stopAll, STOP_BOUND_MS, () => io.err('stopping the demo ...'));
    return 'running';
  },
};
