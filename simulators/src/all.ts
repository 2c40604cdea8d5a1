import { startCherwellSimulator } from './cherwell/server.ts';
import type { CherwellSimulator, CherwellSimulatorOptions } from './cherwell/server.ts';
import type { Violation } from './common/types.ts';
import { startSfycSimulator } from './sfyc/server.ts';
import type { SfycSimulator, SfycSimulatorOptions } from './sfyc/server.ts';
import { startWmSimulator } from './wm/server.ts';
import type { WmSimulator, WmSimulatorOptions } from './wm/server.ts';

export interface AllSimulatorsOptions {
  /** Default host of all three (each may override it). */
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
  violations(): Array<Violation & { simulator: 'wm' | 'cherwell' | 'sfyc' }>;
  reset(): void;
  close(): Promise<void>;
}

export async function startAllSimulators(options: AllSimulatorsOptions = {}): Promise<AllSimulators> {
  const host = options.host === undefined ? {} : { host: options.host };
  const started = await Promise.allSettled([
    startWmSimulator({ ...host, ...options.wm }),
    startCherwellSimulator({ ...host, ...options.cherwell }),
    startSfycSimulator({ ...host, ...options.sfyc }),
  ] as const);
  const [wmR, cherwellR, sfycR] = started;
  if (wmR.status === 'rejected' || cherwellR.status === 'rejected' || sfycR.status === 'rejected') {
    // Do not leave the ones that did start listening (a taken port is the usual cause).
    await Promise.all(started.flatMap((s) => (s.status === 'fulfilled' ? [s.value.close()] : [])));
    const failure = started.find((s) => s.status === 'rejected');
    throw failure?.status === 'rejected' ? failure.reason : new Error('a simulator failed to start');
  }
  const [wm, cherwell, sfyc] = [wmR.value, cherwellR.value, sfycR.value];
  return {
    wm,
    cherwell,
    sfyc,
    violations: () => [
      ...wm.violations().map((v) => ({ ...v, simulator: 'wm' as const })),
      ...cherwell.violations().map((v) => ({ ...v, simulator: 'cherwell' as const })),
      ...sfyc.violations().map((v) => ({ ...v, simulator: 'sfyc' as const })),
    ],
    reset: () => {
      wm.reset();
      cherwell.reset();
      sfyc.reset();
    },
    close: async () => {
      await Promise.all([wm.close(), cherwell.close(), sfyc.close()]);
    },
  };
}
