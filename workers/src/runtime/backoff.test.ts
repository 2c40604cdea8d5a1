import { expect, test } from 'vitest';
import { backoffDelayMs } from './backoff.ts';

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
