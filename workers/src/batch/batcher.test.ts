import { describe, expect, test } from 'vitest';
import { Batcher } from './batcher.ts';
import { Semaphore } from './semaphore.ts';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Batcher', () => {
  test('when items arrive faster than requests complete, then batches are full and never above the maximum', async () => {
    const sizes: number[] = [];
    const gate = deferred();
    const batcher = new Batcher<number, number>({
      limits: () => ({ maxSize: 10, maxWaitMs: 1000 }),
      inFlight: new Semaphore(() => 1),
      send: async (items) => {
        sizes.push(items.length);
        await gate.promise;
        return items.map((item) => item * 2);
      },
    });
    const results = Promise.all(Array.from({ length: 35 }, (_, i) => batcher.submit(i)));
    gate.resolve();
    await batcher.flush();
    expect(await results).toEqual(Array.from({ length: 35 }, (_, i) => i * 2));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
    expect(sizes.slice(0, 3)).toEqual([10, 10, 10]);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(35);
  });

  test('when a batch does not fill, then it goes out after the wait', async () => {
    const sent: number[][] = [];
    const batcher = new Batcher<number, number>({
      limits: () => ({ maxSize: 100, maxWaitMs: 30 }),
      inFlight: new Semaphore(() => 4),
      send: (items) => {
        sent.push(items);
        return Promise.resolve(items);
      },
    });
    const startedAt = Date.now();
    await Promise.all([batcher.submit(1), batcher.submit(2)]);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(25);
    expect(sent).toEqual([[1, 2]]);
  });

  test('when the whole send fails, then every item of that batch gets the error and no other', async () => {
    let calls = 0;
    const batcher = new Batcher<number, number>({
      limits: () => ({ maxSize: 2, maxWaitMs: 0 }),
      inFlight: new Semaphore(() => 1),
      send: (items) => {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error('503')) : Promise.resolve(items);
      },
    });
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((i) => batcher.submit(i)));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled']);
  });

  test('when more batches are ready than slots, then at most maxInFlight are sent at once', async () => {
    let inFlight = 0;
    let peak = 0;
    const inFlightLimit = new Semaphore(() => 3);
    const batcher = new Batcher<number, number>({
      limits: () => ({ maxSize: 5, maxWaitMs: 0 }),
      inFlight: inFlightLimit,
      send: async (items) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 10));
        inFlight -= 1;
        return items;
      },
    });
    await Promise.all(Array.from({ length: 100 }, (_, i) => batcher.submit(i)));
    expect(peak).toBe(3);
  });

  test('when the limits change at run time, then the next batch follows them', async () => {
    let maxSize = 10;
    const sizes: number[] = [];
    const batcher = new Batcher<number, number>({
      limits: () => ({ maxSize, maxWaitMs: 0 }),
      inFlight: new Semaphore(() => 1),
      send: (items) => {
        sizes.push(items.length);
        return Promise.resolve(items);
      },
    });
    await Promise.all(Array.from({ length: 10 }, (_, i) => batcher.submit(i)));
    maxSize = 3;
    await Promise.all(Array.from({ length: 9 }, (_, i) => batcher.submit(i)));
    expect(sizes.slice(-3)).toEqual([3, 3, 3]);
  });

  test('when batchers of different priorities wait for one slot, then the higher priority goes first', async () => {
    const order: string[] = [];
    const gate = deferred();
    const slot = new Semaphore(() => 1);
    const batcherOf = (name: string, priority: number) =>
      new Batcher<number, number>({
        limits: () => ({ maxSize: 2, maxWaitMs: 0 }),
        inFlight: slot,
        priority,
        send: async (items) => {
          order.push(name);
          await gate.promise;
          return items;
        },
      });
    const creates = batcherOf('create', 0);
    const workOrders = batcherOf('workOrder', 1);
    // The first create batch takes the slot; more creates queue before the work orders arrive.
    const first = Promise.all([creates.submit(1), creates.submit(2)]);
    const more = Promise.all([creates.submit(3), creates.submit(4), creates.submit(5), creates.submit(6)]);
    const later = Promise.all([workOrders.submit(7), workOrders.submit(8)]);
    gate.resolve();
    await Promise.all([first, more, later]);
    expect(order.slice(0, 2)).toEqual(['create', 'workOrder']);
  });

  test('when items are handed on from a settled batch, then their batch goes at once with whatever waits, not after maxWaitMs', async () => {
    const sent: number[][] = [];
    const batcher = new Batcher<number, number>({
      limits: () => ({ maxSize: 10, maxWaitMs: 60_000 }),
      inFlight: new Semaphore(() => 1),
      send: (items) => {
        sent.push(items);
        return Promise.resolve(items);
      },
    });
    const startedAt = Date.now();
    const fromQueue = batcher.submit(0);
    // Three items of one settled batch arrive in the same turn, one promise reaction after another.
    const handedOn = [1, 2, 3].map(async (item) => {
      for (let hop = 0; hop < item; hop++) await Promise.resolve();
      return batcher.submit(item, { handedOn: true });
    });
    await Promise.all([fromQueue, ...handedOn]);
    expect(Date.now() - startedAt).toBeLessThan(1000);
    expect(sent).toEqual([[0, 1, 2, 3]]);
  });

  test('when a batch settles and its items go on to a higher-priority batcher, then that batch takes the freed slot before the next batch of the first step', async () => {
    const order: string[] = [];
    const slot = new Semaphore(() => 1);
    const batcherOf = (name: string, priority: number) =>
      new Batcher<number, number>({
        limits: () => ({ maxSize: 3, maxWaitMs: name === 'create' ? 0 : 60_000 }),
        inFlight: slot,
        priority,
        send: async (items) => {
          order.push(`${name}:${items.join(',')}`);
          await new Promise((resolve) => setTimeout(resolve, 5));
          return items;
        },
      });
    const creates = batcherOf('create', 0);
    const workOrders = batcherOf('workOrder', 1);
    // As a job does: after its create, an await or two (the budget check), then its work order.
    // Ticket 3 does not go on (noted), so the work order batch is not full.
    const ticket = async (id: number): Promise<void> => {
      await creates.submit(id);
      if (id % 3 === 0) return;
      await Promise.resolve();
      await workOrders.submit(id, { handedOn: true });
    };
    const startedAt = Date.now();
    await Promise.all([1, 2, 3, 4, 5, 6].map(ticket));
    expect(order).toEqual(['create:1,2,3', 'workOrder:1,2', 'create:4,5,6', 'workOrder:4,5']);
    expect(Date.now() - startedAt).toBeLessThan(1000);
  });
});
