import type { Scenario } from '../context.ts';
import { adaptive } from './adaptive.ts';
import { cluster } from './cluster.ts';
import { dashboardLoad } from './dashboard-load.ts';
import { drainNew } from './drain-new.ts';
import { drainUpdates } from './drain-updates.ts';
import { efficiencyScenario } from './efficiency.ts';
import { latencyBound } from './latency-bound.ts';
import { memory } from './memory.ts';
import { naive } from './naive.ts';
import { scale } from './scale.ts';
import { steadyLatency } from './steady-latency.ts';

/** Every scenario, in the order of the table; `pnpm bench` runs them in this order. */
export const SCENARIOS: readonly Scenario[] = [
  drainUpdates,
  drainNew,
  naive,
  efficiencyScenario,
  latencyBound,
  steadyLatency,
  adaptive,
  memory,
  scale,
  dashboardLoad,
  cluster,
];
