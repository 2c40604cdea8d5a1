import { describe, expect, it } from 'vitest';
import { Capacity } from './capacity.ts';

describe('platform capacity', () => {
  it('when the load stays within capacity, then every request keeps the base latency; beyond, it grows with the load', () => {
    const capacity = new Capacity();
    capacity.set({ capacity: 4, hardLimit: 6 });
    const factors = Array.from({ length: 6 }, () => {
      const load = capacity.begin();
      return load.reject ? 'rejected' : load.latencyFactor;
    });
    expect(factors).toEqual([1, 1, 1, 1, 1.25, 1.5]);
    expect(capacity.begin()).toEqual({ reject: true });
    expect(capacity.figures()).toEqual({ inFlight: 6, peakInFlight: 6, admitted: 6, rejected: 1 });
  });

  it('when requests end, then the load falls (each counted once), and a reset keeps what is still in flight', () => {
    const capacity = new Capacity();
    capacity.set({ capacity: 1 });
    const first = capacity.begin();
    const second = capacity.begin();
    if (first.reject || second.reject) throw new Error('no hard limit was set');
    expect(second.latencyFactor).toBe(2);
    first.end();
    first.end();
    expect(capacity.figures().inFlight).toBe(1);
    capacity.resetFigures();
    expect(capacity.figures()).toEqual({ inFlight: 1, peakInFlight: 1, admitted: 0, rejected: 0 });
    second.end();
    capacity.reset();
    expect(capacity.settings).toEqual({ capacity: null, hardLimit: null, retryAfterS: 1 });
  });
});
