import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@tbe/shared/config/index';
import { expectPositionals } from '../args.ts';
import { printBanner } from '../demo/banner.ts';
import { refuseOneTicketEarly } from '../demo/early-fault.ts';
import { demoEnv, runPrefix } from '../demo/env.ts';
import { pickDemoRedis } from '../demo/redis.ts';
import { portIsFree } from '../demo/redis-probe.ts';
import { exitOnSignal } from '../roles/signals.ts';
import { SIMULATOR_NAMES } from '@tbe/simulators/names';
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
    'Redis: the one REDIS_URL names (keys under a prefix of this run, deleted at exit), else a',
    'redis-server of its own on a free port, else one in Docker; never any other Redis.',
    'HTTP_PORT when set, else 3000, else a free port. Logs go to a file named in the banner.',
    'ADMIN_TOKEN when set (not printed), else a generated one (printed).',
  ],
  options: {},
  async run(args, io) {
    expectPositionals('demo', args, []);
    // Only the demo may run without ADMIN_TOKEN; the rest of the environment is still checked.
    const config = loadConfig(io.env, 'demo');
    // Loaded on use, like the roles: the admin commands start faster without them.
    const { runAll } = await import('../roles/all.ts');
    const { deleteRunKeys } = await import('../demo/reset.ts');
    const { logFile } = await import('@tbe/shared/logger');
    const { simulatorVariables, startSimulators } = await import('@tbe/simulators/deployment');
    const generatedToken =
      config.adminToken === undefined ? randomBytes(24).toString('base64url') : undefined;
    const stops: (() => Promise<void>)[] = [];
    const stopAll = async (): Promise<void> => {
      for (const stop of stops.splice(0)) await stop().catch(() => undefined);
    };
    try {
      const redis = await pickDemoRedis(io.env, config.redis);
      stops.unshift(() => redis.stop());
      const prefix = runPrefix(redis.own);
      const target = redis.url ? { kind: 'standalone' as const, url: redis.url } : config.redis;
      // Runs after every role stopped (stops run last-registered first).
      if (!redis.own) stops.unshift(() => deleteRunKeys(target, prefix));

      // The simulators' own credentials: a demo never uses the operator's real ones.
      const sims = await startSimulators({
        names: SIMULATOR_NAMES,
        host: '127.0.0.1',
        faultShare: FAULT_SHARE,
      });
      stops.unshift(() => sims.close());

      const logPath = join(tmpdir(), `${prefix}-${process.pid}.log`);
      const logs = logFile(logPath);
      stops.unshift(() => Promise.resolve(logs.end()));
      const httpPort = io.env.HTTP_PORT ? config.httpPort : (await portIsFree(3000)) ? 3000 : 0;
      const env = demoEnv({
        operatorEnv: io.env,
        redisUrl: redis.url,
        simulators: simulatorVariables(sims, { advertiseHost: '127.0.0.1' }),
        adminToken: config.adminToken ?? generatedToken ?? '',
        httpPort,
        prefix,
      });
      // Loopback only, as the banner says: the demo's admin token is printed on the terminal.
      const all = await runAll(env, { sidePorts: 'free', host: '127.0.0.1', logDestination: logs });
      stops.unshift(() => all.stop());
      const refusedTicket = refuseOneTicketEarly(sims);
      sims.wm?.startTrickle({ ticketsPerSecond: TRICKLE_PER_S });

      printBanner(io, {
        port: all.ports.dashboard,
        generatedToken,
        redis: redis.description,
        prefix,
        keysDeletedAtExit: !redis.own,
        simulators: sims,
        ports: all.ports,
        logPath,
        refusedTicket,
      });
    } catch (error) {
      await stopAll();
      throw error;
    }
    exitOnSignal(stopAll, STOP_BOUND_MS, () => io.err('stopping the demo ...'));
    return 'running';
  },
};
