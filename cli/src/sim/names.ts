export const SIMULATOR_NAMES = ['wm', 'cherwell', 'sfyc'] as const;
export type SimulatorName = (typeof SIMULATOR_NAMES)[number];
