import type { SimulatorBase } from '@tbe/simulators';

/**
 * Occasional failures of a platform simulator, `share` of its requests in all: half answered 503
 * (the whole request is retried), half with a per-item lock error (that ticket is retried), and
 * a tenth as much a permanent validation error, so that dead letters show up too.
 */
export function addOccasionalFaults(sim: SimulatorBase, share: number): void {
  if (share <= 0) return;
  sim.faults.add({ action: 'status', status: 503, share: share / 2 });
  sim.faults.add({ action: 'item-error', error: 'lock', share: share / 2 });
  sim.faults.add({ action: 'item-error', error: 'validation', share: share / 10 });
}
