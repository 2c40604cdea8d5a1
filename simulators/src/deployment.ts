import type { SimulatorBase } from './common/api.ts';
import type { Violation } from './common/types.ts';
import { SIMULATOR_NAMES, type SimulatorName } from './names.ts';
import {
  startCherwellSimulator,
  type CherwellSimulator,
  type CherwellSimulatorOptions,
} from './cherwell/server.ts';
import { startSfycSimulator, type SfycSimulator, type SfycSimulatorOptions } from './sfyc/server.ts';
import { startWmSimulator, type WmSimulator, type WmSimulatorOptions } from './wm/server.ts';

/**
 * The one way to start the simulators for a deployment to use them (tests, benchmarks, the
 * CLI's `simulate` and `demo`, `simulators/src/main.ts`), and the variables that point the
 * roles at them: the start-up and the environment are written here once.
 */
export { SIMULATOR_NAMES, type SimulatorName } from './names.ts';

export interface StartSimulatorsOptions {
  /** Which ones (default all three), started in this order. */
  names?: readonly SimulatorName[];
  /** Listen address of all of them (default 127.0.0.1). */
  host?: string;
  /** The first one's port, the next ones on the following ports; 0 (default) = free ports. */
  firstPort?: number;
  /** Options of each simulator (credentials, latency, limits, its own host or port). */
  wm?: WmSimulatorOptions;
  cherwell?: CherwellSimulatorOptions;
  sfyc?: SfycSimulatorOptions;
  /** Share 0..1 of Cherwell and SFyC requests that fail, as the demo shows them (default 0). */
  faultShare?: number;
}

export interface Simulators {
  wm?: WmSimulator;
  cherwell?: CherwellSimulator;
  sfyc?: SfycSimulator;
  /** The token the WM simulator wants, when it wants one. */
  wmToken?: string;
  /** Every started simulator's contract violations, tagged with the simulator. */
  violations(): Array<Violation & { simulator: SimulatorName }>;
  close(): Promise<void>;
}

/** Starts the chosen simulators; on a failure the ones already listening are closed again. */
export async function startSimulators(options: StartSimulatorsOptions = {}): Promise<Simulators> {
  const host = options.host ?? '127.0.0.1';
  const first = options.firstPort ?? 0;
  const port = (index: number): number => (first === 0 ? 0 : first + index);
  const sims: Simulators = {
    wmToken: options.wm?.token,
    violations: () =>
      SIMULATOR_NAMES.flatMap((name) =>
        (sims[name]?.violations() ?? []).map((v) => ({ ...v, simulator: name })),
      ),
    close: async () => {
      sims.wm?.stopTrickle();
      await Promise.all([sims.wm?.close(), sims.cherwell?.close(), sims.sfyc?.close()]);
    },
  };
  try {
    for (const [index, name] of (options.names ?? SIMULATOR_NAMES).entries()) {
      // A simulator's own host or port, when given, wins.
      const listen = { host: options[name]?.host ?? host, port: options[name]?.port ?? port(index) };
      switch (name) {
        case 'wm':
          sims.wm = await startWmSimulator({ ...options.wm, ...listen });
          break;
        case 'cherwell':
          sims.cherwell = await startCherwellSimulator({ ...options.cherwell, ...listen });
          break;
        case 'sfyc':
          sims.sfyc = await startSfycSimulator({ ...options.sfyc, ...listen });
          break;
      }
    }
  } catch (error) {
    await sims.close();
    throw error;
  }
  for (const sim of [sims.cherwell, sims.sfyc]) if (sim) addOccasionalFaults(sim, options.faultShare ?? 0);
  return sims;
}

/**
 * Occasional failures of a platform simulator, `share` of its requests in all: half answered 503
 * (the whole request is retried), half with a per-item lock error (that ticket is retried), and
 * a tenth as much a permanent validation error, so that dead letters show up too.
 */
function addOccasionalFaults(sim: SimulatorBase, share: number): void {
  if (share <= 0) return;
  sim.faults.add({ action: 'status', status: 503, share: share / 2 });
  sim.faults.add({ action: 'item-error', error: 'lock', share: share / 2 });
  sim.faults.add({ action: 'item-error', error: 'validation', share: share / 10 });
}

export interface SimulatorVariable {
  name: string;
  value: string;
  /** A secret the environment supplied: the operator has it already, so it is never printed. */
  fromEnvSecret: boolean;
}

export interface VariablesOptions {
  /** Replaces the listening host in the URLs (0.0.0.0 is not an address to dial). */
  advertiseHost?: string;
  /** Secrets the operator's environment supplied (named, not printed, by `simulate`). */
  given?: {
    wmToken?: string;
    cherwellClientId?: string;
    cherwellPassword?: string;
    sfycClientSecret?: string;
  };
}

/** The variables that point a deployment at these simulators, with the credentials they accept. */
export function simulatorVariables(sims: Simulators, options: VariablesOptions = {}): SimulatorVariable[] {
  const given = options.given ?? {};
  const url = (value: string): string => {
    if (options.advertiseHost === undefined) return value;
    const parsed = new URL(value);
    parsed.hostname = options.advertiseHost;
    return parsed.toString().replace(/\/$/, '');
  };
  const vars: SimulatorVariable[] = [];
  const add = (name: string, value: string | undefined, suppliedSecret?: string): void => {
    if (value !== undefined) vars.push({ name, value, fromEnvSecret: suppliedSecret !== undefined });
  };
  if (sims.wm) {
    add('WM_URL', url(sims.wm.url));
    add('WM_TOKEN', sims.wmToken, given.wmToken);
  }
  if (sims.cherwell) {
    const c = sims.cherwell.credentials();
    add('CHERWELL_URL', url(sims.cherwell.url));
    add('CHERWELL_CLIENT_ID', c.clientId, given.cherwellClientId);
    add('CHERWELL_USERNAME', c.username);
    add('CHERWELL_PASSWORD', c.password, given.cherwellPassword);
    add('CHERWELL_AUTH_MODE', c.authMode);
  }
  if (sims.sfyc) {
    const s = sims.sfyc.credentials();
    add('SFYC_URL', url(sims.sfyc.url));
    add('SFYC_CLIENT_ID', s.clientId);
    add('SFYC_CLIENT_SECRET', s.clientSecret, given.sfycClientSecret);
  }
  return vars;
}

/** The same variables as an environment object. */
export function simulatorEnv(sims: Simulators, options: VariablesOptions = {}): Record<string, string> {
  return Object.fromEntries(simulatorVariables(sims, options).map(({ name, value }) => [name, value]));
}
