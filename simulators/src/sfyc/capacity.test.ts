import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../common/testing.ts';
import { startSfycSimulator } from './server.ts';
import type { SfycSimulator } from './server.ts';
import { batch, login, upsert } from './testing.ts';

let sim: SfycSimulator;
let token: string;
beforeAll(async () => {
  sim = await startSfycSimulator();
});
beforeEach(async () => {
  token = await login(sim);
});
afterEach(() => sim.reset());
afterAll(() => sim.close());

/** `n` one-ticket saves at once; answers each one's status and duration. */
async function burst(n: number): Promise<{ status: number; ms: number }[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const startedAt = Date.now();
      const res = await batch(sim, token, [upsert(`WM-${i + 1}`)]);
      return { status: res.status, ms: Date.now() - startedAt };
    }),
  );
}

describe('SFyC capacity', () => {
  it('when the load goes beyond capacity, then latency grows with it', async () => {
    sim.setLatencyMs(100);
    sim.setCapacity({ capacity: 2 });
    const answers = await burst(8);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    // The 8th in flight takes 100 ms x 8 / 2.
    expect(Math.max(...answers.map((a) => a.ms))).toBeGreaterThanOrEqual(380);
  });

  it('when the load goes above the hard limit (set over /_sim/), then the excess is answered 429 with Retry-After, at once', async () => {
    const set = await call(`${sim.origin}/_sim/settings`, {
      method: 'POST',
      json: { latencyMs: 200, capacity: 2, hardLimit: 3, retryAfterS: 2 },
    });
    expect(set.body).toMatchObject({ capacity: 2, hardLimit: 3, retryAfterS: 2 });
    const pending = Array.from({ length: 5 }, (_, i) =>
      call(`${sim.url}/v1/tickets/batch`, {
        method: 'POST',
        json: { allOrNone: false, operations: [upsert(`WM-${i}`)] },
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    const answers = await Promise.all(pending);
    const limited = answers.filter((a) => a.status === 429);
    expect(limited).toHaveLength(2);
    expect(limited.every((a) => a.headers.get('retry-after') === '2')).toBe(true);
    expect((await call(`${sim.origin}/_sim/load`)).body).toMatchObject({ admitted: 3, rejected: 2 });
    // Only the admitted ones were saved.
    expect(sim.tickets()).toHaveLength(3);
  });

  it('when capacity is lifted at run time, then the same load is served at the base latency again', async () => {
    sim.setLatencyMs(100);
    sim.setCapacity({ capacity: 1, hardLimit: 2 });
    expect((await burst(4)).filter((a) => a.status === 429)).toHaveLength(2);
    sim.setCapacity({ capacity: null, hardLimit: null });
    const answers = await burst(4);
    expect(answers.every((a) => a.status === 200 && a.ms < 300)).toBe(true);
  });
});
