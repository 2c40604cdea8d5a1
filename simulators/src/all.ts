import type { CherwellSimulator, CherwellSimulatorOptions } from './cherwell/server.ts';
import type { Violation } from './common/types.ts';
import { startSimulators, type SimulatorName } from './deployment.ts';
import type { SfycSimulator, SfycSimulatorOptions } from './sfyc/server.ts';
import type { WmSimulator, WmSimulatorOptions } from './wm/server.ts';

export interface AllSimulatorsOptions {
  /** Host of all three. */
  host?: string;
  wm?: WmSimulatorOptions;
  cherwell?: CherwellSimulatorOptions;
  sfyc?: SfycSimulatorOptions;
}

export interface AllSimulators {
  wm: WmSimulator;
  cherwell: CherwellSimulator;
  sfyc: SfycSimulator;
  /** Every simulator's violations, each tagged with the simulator that saw it. */
  violations(): Array<Violation & { simulator: SimulatorName }>;
  reset(): void;
  close(): Promise<void>;
}

/** All three simulators (startSimulators with every name), each surely there. */
export async function startAllSimulators(options: AllSimulatorsOptions = {}): Promise<AllSimulators> {
  const sims = await startSimulators(options);
  const { wm, cherwell, sfyc } = sims;
  if (!wm || !cherwell || !sfyc) throw new Error('a simulator did not start');
  return {
    wm,
    cherwell,
    sfyc,
    violations: () => sims.violations(),
    reset: () => {
      wm.reset();
      cherwell.reset();
      sfyc.reset();
    },
    close: () => sims.close(),
  };
}
