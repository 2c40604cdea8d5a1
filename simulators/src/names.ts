/** The simulators, by name (a module of its own: the CLI reads it without loading the servers). */
export const SIMULATOR_NAMES = ['wm', 'cherwell', 'sfyc'] as const;
export type SimulatorName = (typeof SIMULATOR_NAMES)[number];
