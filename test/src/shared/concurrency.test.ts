import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createKeys, type Keys } from '@tbe/shared';
import { ConcurrencyStore, type WindowReport } from '@tbe/shared/store/concurrency';
import { deletePrefix, testRedis, uniquePrefix } from '../index.ts';

let redis: ReturnType<typeof testRedis>;
let prefix: string;
let keys: Keys;
let store: ConcurrencyStore;
beforeEach(() => {
  redis = testRedis();
  prefix = uniquePrefix('concurrency');
  keys = createKeys(prefix);
  store = new ConcurrencyStore(redis, keys);
});
afterEach(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

const window = (over: Partial<WindowReport> = {}): WindowReport => ({
  processId: 'a',
  mode: 'adaptive',
  active: true,
  saturated: true,
  overloaded: false,
  ceiling: 64,
  startLimit: 4,
  cooldownMs: 0,
  groups: [{ name: 'save:8', count: 10, minMs: 100, avgMs: 105 }],
  ...over,
});

describe('the shared concurrency limit (AIMD over all replicas)', () => {
  test('when a saturated process sees latency at its floor, then the limit rises by one per window', async () => {
    expect((await store.report('sfyc', window())).limit).toBe(5);
    expect((await store.report('sfyc', window())).limit).toBe(6);
  });

  test('when the process is not saturated, then the limit holds however fast the platform is', async () => {
    expect(await store.report('sfyc', window({ saturated: false }))).toMatchObject({
      limit: 4,
      decision: 'hold',
    });
  });

  test('when a 429 is seen, then the limit halves at once, and only once within the cooldown', async () => {
    for (let i = 0; i < 4; i++) await store.report('sfyc', window());
    expect((await store.report('sfyc', window({ overloaded: true, cooldownMs: 60_000 }))).limit).toBe(4);
    expect(await store.report('sfyc', window({ overloaded: true, cooldownMs: 60_000 }))).toMatchObject({
      limit: 4,
      decision: 'hold',
    });
  });

  test('when latency rises to twice its floor, then the limit falls in proportion', async () => {
    for (let i = 0; i < 6; i++) await store.report('sfyc', window());
    const answer = await store.report(
      'sfyc',
      window({ groups: [{ name: 'save:8', count: 10, minMs: 200, avgMs: 200 }] }),
    );
    expect(answer.decision).toBe('decrease');
    expect(answer.limit).toBeCloseTo(10 * 0.7, 0);
  });

  test('when latency rises by a few ms only (a busy host, not the platform), or while slots were free, then the limit holds', async () => {
    await store.report('sfyc', window({ groups: [{ name: 'save:8', count: 10, minMs: 4, avgMs: 4 }] }));
    const noisy = await store.report(
      'sfyc',
      window({ groups: [{ name: 'save:8', count: 10, minMs: 30, avgMs: 40 }] }),
    );
    expect(noisy).toMatchObject({ decision: 'hold', limit: 5 });
    const unused = await store.report(
      'sfyc',
      window({ saturated: false, groups: [{ name: 'save:8', count: 10, minMs: 400, avgMs: 400 }] }),
    );
    expect(unused).toMatchObject({ decision: 'hold', limit: 5 });
  });

  test('when latency differs by kind of request, then each kind is compared with its own floor', async () => {
    await store.report('sfyc', window({ groups: [{ name: 'search:1', count: 5, minMs: 10, avgMs: 10 }] }));
    const answer = await store.report(
      'sfyc',
      window({ groups: [{ name: 'save:8', count: 5, minMs: 300, avgMs: 300 }] }),
    );
    expect(answer.decision).toBe('increase');
  });

  test('when three processes send, then their shares add up to the limit, each within its ceiling, and an idle one takes none', async () => {
    for (const id of ['a', 'b', 'c']) await store.report('sfyc', window({ processId: id, saturated: false }));
    const shares = await Promise.all(
      ['a', 'b', 'c'].map(
        async (id) => (await store.report('sfyc', window({ processId: id, saturated: false }))).share,
      ),
    );
    expect(shares.reduce((a, b) => a + b, 0)).toBe(4);
    expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
    const idle = await store.report(
      'sfyc',
      window({ processId: 'c', active: false, saturated: false, groups: [] }),
    );
    expect(idle.processes).toBe(2);
    expect(await store.read('sfyc')).toMatchObject({ mode: 'adaptive', limit: 4, processes: 2 });
  });

  test("when fixed, then the limit is every sending process's maxInFlight added up", async () => {
    await store.report('sfyc', window({ processId: 'a', mode: 'fixed', ceiling: 3 }));
    const answer = await store.report('sfyc', window({ processId: 'b', mode: 'fixed', ceiling: 3 }));
    expect(answer).toMatchObject({ limit: 6, share: 3, processes: 2 });
  });
});
