import { startWmSimulator, type WmSimulator } from '@tbe/simulators';
import { startCherwellSimulator, type CherwellSimulator } from '@tbe/simulators/cherwell/server';
import { startSfycSimulator, type SfycSimulator } from '@tbe/simulators/sfyc/server';
import type { SimCredentials } from './credentials.ts';
import type { SimulatorName } from './names.ts';

export interface Simulators {
  wm?: WmSimulator;
  cherwell?: CherwellSimulator;
  sfyc?: SfycSimulator;
  close(): Promise<void>;
}

export interface StartSimulatorsOptions {
  names: readonly SimulatorName[];
  host: string;
  /** The first simulator's port, the next ones on the following ports; 0 = free ports. */
  firstPort: number;
  credentials: SimCredentials;
}

/** Starts the chosen simulators; on a failure the ones already listening are closed again. */
export async function startSimulators(options: StartSimulatorsOptions): Promise<Simulators> {
  const { host, credentials } = options;
  const port = (index: number): number => (options.firstPort === 0 ? 0 : options.firstPort + index);
  const sims: Simulators = {
    close: async () => {
      sims.wm?.stopTrickle();
      await Promise.all([sims.wm?.close(), sims.cherwell?.close(), sims.sfyc?.close()]);
    },
  };
  try {
    for (const [index, name] of options.names.entries()) {
      switch (name) {
        case 'wm':
          sims.wm = await startWmSimulator({ host, port: port(index), token: credentials.wmToken });
          break;
        case 'cherwell':
          sims.cherwell = await startCherwellSimulator({ host, port: port(index), ...credentials.cherwell });
          break;
        case 'sfyc':
          sims.sfyc = await startSfycSimulator({ host, port: port(index), ...credentials.sfyc });
          break;
      }
    }
  } catch (error) {
    await sims.close();
    throw error;
  }
  return sims;
}

export interface DeploymentVariable {
  name: string;
  value: string;
  /** A secret the environment supplied: the operator has it already, so it is never printed. */
  fromEnvSecret: boolean;
}

/**
 * The variables that point a deployment at these simulators, with the credentials they accept.
 * `advertiseHost` replaces the listening host in the URLs (0.0.0.0 is not an address to dial).
 */
export function deploymentVariables(
  sims: Simulators,
  advertiseHost: string,
  given: SimCredentials,
): DeploymentVariable[] {
  const url = (value: string): string => {
    const parsed = new URL(value);
    parsed.hostname = advertiseHost;
    return parsed.toString().replace(/\/$/, '');
  };
  const vars: DeploymentVariable[] = [];
  const add = (name: string, value: string | undefined, suppliedSecret?: string): void => {
    if (value !== undefined) vars.push({ name, value, fromEnvSecret: suppliedSecret !== undefined });
  };
  if (sims.wm) {
    add('WM_URL', url(sims.wm.url));
    add('WM_TOKEN', given.wmToken, given.wmToken);
  }
  if (sims.cherwell) {
    const c = sims.cherwell.credentials();
    add('CHERWELL_URL', url(sims.cherwell.url));
    add('CHERWELL_CLIENT_ID', c.clientId, given.cherwell.clientId);
    add('CHERWELL_USERNAME', c.username);
    add('CHERWELL_PASSWORD', c.password, given.cherwell.password);
    add('CHERWELL_AUTH_MODE', c.authMode);
  }
  if (sims.sfyc) {
    const s = sims.sfyc.credentials();
    add('SFYC_URL', url(sims.sfyc.url));
    add('SFYC_CLIENT_ID', s.clientId);
    add('SFYC_CLIENT_SECRET', s.clientSecret, given.sfyc.clientSecret);
  }
  return vars;
}
