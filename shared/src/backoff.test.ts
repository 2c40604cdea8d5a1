import { expect, test } from 'vitest';
import { backoffDelayMs, sleep } from './backoff.ts';

const config = { baseMs: 1000, maxMs: 300_000 };

test('when retries follow each other, then the delay doubles within its jitter band and stops at the maximum', () => {
  expect(backoffDelayMs(1, config, undefined, () => 0)).toBe(500);
  expect(backoffDelayMs(1, config, undefined, () => 1)).toBe(1000);
  expect(backoffDelayMs(3, config, undefined, () => 1)).toBe(4000);
  expect(backoffDelayMs(3, config, undefined, () => 0)).toBe(2000);
  expect(backoffDelayMs(30, config, undefined, () => 1)).toBe(300_000);
});

test('when the platform said Retry-After, then that is the delay, capped at the maximum', () => {
  expect(backoffDelayMs(1, config, 7000)).toBe(7000);
  expect(backoffDelayMs(1, config, 900_000)).toBe(300_000);
});

test('when polls keep failing, then the wait never collapses to 0', () => {
  expect(backoffDelayMs(1, { baseMs: 100, maxMs: 1000 }, undefined, () => 0)).toBe(50);
});

test('when the signal aborts, then sleep resolves at once', async () => {
  const controller = new AbortController();
  const started = Date.now();
  const slept = sleep(60_000, controller.signal);
  controller.abort();
  await slept;
  expect(Date.now() - started).toBeLessThan(1000);
});
