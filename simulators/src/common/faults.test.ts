import { describe, expect, it } from 'vitest';
import { parseFaultRule } from './fault-rule.ts';
import { FaultInjector, itemErrorFor } from './faults.ts';
import { seededRandom } from './random.ts';

const target = (path: string, ticketIds: string[] = [], method = 'POST') => ({
  method,
  path,
  fullPath: `/CherwellAPI${path}`,
  ticketIds,
});

describe('fault rules', () => {
  it('when several rules match, then latencies add up and the first transport fault wins', () => {
    const faults = new FaultInjector(Math.random);
    faults.add({ action: 'latency', latencyMs: 10 });
    faults.add({ path: '/x', action: 'status', status: 503 });
    faults.add({ action: 'latency', latencyMs: 5 });
    faults.add({ action: 'reset' });
    const pick = faults.pickTransport(target('/x'));
    expect(pick.latencyMs).toBe(15);
    expect(pick.fault).toMatchObject({ action: 'status' });
    expect(faults.list().map((r) => r.hits)).toEqual([1, 1, 1, 0]);
  });

  it('when a rule has times, then it stops after that many hits; misses do not count', () => {
    const faults = new FaultInjector(Math.random);
    faults.add({ method: 'GET', action: 'hang', times: 1 });
    expect(faults.pickTransport(target('/x')).fault).toBeNull();
    expect(faults.pickTransport(target('/x', [], 'GET')).fault).toMatchObject({ action: 'hang' });
    expect(faults.pickTransport(target('/x', [], 'GET')).fault).toBeNull();
  });

  it('when a rule names ticket ids, then it matches requests touching any of them', () => {
    const faults = new FaultInjector(Math.random);
    faults.add({ ticketIds: ['WM-2'], action: 'commit-then-fail' });
    expect(faults.pickHandling(target('/x', ['WM-1'])).commit).toBeNull();
    expect(faults.pickHandling(target('/x', ['WM-1', 'WM-2'])).commit).not.toBeNull();
  });

  it('when item-error rules match, then each item gets the first rule that covers it', () => {
    const faults = new FaultInjector(Math.random);
    faults.add({ ticketIds: ['WM-2'], action: 'item-error', error: 'lock' });
    faults.add({ action: 'item-error', error: 'not-found', path: '/other' });
    const { itemErrors } = faults.pickHandling(target('/x', ['WM-1', 'WM-2']));
    expect(itemErrors).toHaveLength(1);
    expect(itemErrorFor(itemErrors, ['WM-1'])).toBeNull();
    expect(itemErrorFor(itemErrors, ['WM-2'])?.error).toBe('lock');
  });

  it('when an occasional item error and one aimed at a ticket hit the same request, then the aimed one is what that ticket gets', () => {
    const faults = new FaultInjector(Math.random);
    faults.add({ action: 'item-error', error: 'lock' });
    faults.add({ ticketIds: ['WM-2'], action: 'item-error', error: 'validation', times: 1 });
    const { itemErrors } = faults.pickHandling(target('/x', ['WM-1', 'WM-2']));
    expect(itemErrorFor(itemErrors, ['WM-2'])?.error).toBe('validation');
    expect(itemErrorFor(itemErrors, ['WM-1'])?.error).toBe('lock');
  });

  it('when share is set, then it is rolled per request with the given random source', () => {
    const faults = new FaultInjector(seededRandom(3));
    faults.add({ action: 'reset', share: 0.3 });
    const hits = Array.from({ length: 1000 }, () => faults.pickTransport(target('/x')).fault).filter(
      Boolean,
    ).length;
    expect(hits).toBeGreaterThan(230);
    expect(hits).toBeLessThan(370);
  });

  it('when a rule comes as JSON, then pathRegex becomes a RegExp matched with or without the device address', () => {
    const rule = parseFaultRule({ pathRegex: '^/CherwellAPI/api/V1/get', action: 'status', status: 500 });
    expect(rule.path).toBeInstanceOf(RegExp);
    const faults = new FaultInjector(Math.random);
    faults.add(rule);
    expect(faults.pickTransport(target('/api/V1/getsearchresults')).fault).not.toBeNull();
    expect(() => parseFaultRule({ action: 'status' })).toThrow();
    expect(() => parseFaultRule({ action: 'hang', extra: 1 })).toThrow();
  });
});
