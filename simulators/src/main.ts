import { pathToFileURL } from 'node:url';
import { startAllSimulators } from './all.ts';
import type { AllSimulators } from './all.ts';
import { simulatorVariables } from './deployment.ts';
import { loadSimulatorEnv } from './env.ts';

export interface RunSimulatorsOptions {
  /** Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Where the start-up lines go (default console.log). */
  log?: (line: string) => void;
  /** Close the simulators on SIGINT and SIGTERM (default true). */
  handleSignals?: boolean;
}

/** Starts WM, Cherwell and SFyC simulators and prints where they are and what they accept. */
export async function runSimulators(options: RunSimulatorsOptions = {}): Promise<AllSimulators> {
  const env = loadSimulatorEnv(options.env ?? process.env);
  const log = options.log ?? ((line: string) => console.log(line));
  const sims = await startAllSimulators({
    host: env.SIM_HOST,
    wm: { port: env.SIM_WM_PORT, token: env.SIM_WM_TOKEN },
    cherwell: {
      port: env.SIM_CHERWELL_PORT,
      clientId: env.SIM_CHERWELL_CLIENT_ID,
      username: env.SIM_CHERWELL_USERNAME,
      password: env.SIM_CHERWELL_PASSWORD,
    },
    sfyc: {
      port: env.SIM_SFYC_PORT,
      clientId: env.SIM_SFYC_CLIENT_ID,
      clientSecret: env.SIM_SFYC_CLIENT_SECRET,
    },
  });
  if (env.SIM_TRICKLE_PER_SECOND > 0) sims.wm.startTrickle({ ticketsPerSecond: env.SIM_TRICKLE_PER_SECOND });
  for (const line of describeSimulators(sims, env.SIM_WM_TOKEN)) log(line);
  if (options.handleSignals !== false) {
    const stop = (): void => {
      sims.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  return sims;
}

/** The start-up banner: URLs, control endpoints, and the environment to point Ticketing BE at them. */
export function describeSimulators(sims: AllSimulators, wmToken?: string): string[] {
  return [
    `WM simulator        ${sims.wm.url}   (control ${sims.wm.origin}/_sim/)`,
    `Cherwell simulator  ${sims.cherwell.url}   (control ${sims.cherwell.origin}/_sim/)`,
    `SFyC simulator      ${sims.sfyc.url}   (control ${sims.sfyc.origin}/_sim/)`,
    '',
    'Environment for Ticketing BE:',
    ...simulatorVariables({ ...sims, wmToken }).map(({ name, value }) => `${name}=${value}`),
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runSimulators().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
