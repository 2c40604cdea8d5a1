import { describe, expect, test } from 'vitest';
import { parseRetryAfterMs } from './retry-after.ts';

const NOW_MS = Date.parse('2026-11-26T09:00:00Z');

describe('parseRetryAfterMs', () => {
  test('when the header is delay-seconds, then it is that many seconds in ms', () => {
    expect(parseRetryAfterMs('7', NOW_MS)).toBe(7000);
    expect(parseRetryAfterMs(' 0 ', NOW_MS)).toBe(0);
    expect(parseRetryAfterMs('1.5', NOW_MS)).toBe(1500);
  });

  test('when the header is an HTTP date, then it is the time until that date', () => {
    expect(parseRetryAfterMs('Thu, 26 Nov 2026 09:00:30 GMT', NOW_MS)).toBe(30_000);
  });

  test('when the date has passed, then the wait is 0', () => {
    expect(parseRetryAfterMs('Thu, 26 Nov 2026 08:59:00 GMT', NOW_MS)).toBe(0);
  });

  test('when the header is absent or unreadable, then there is no wait', () => {
    expect(parseRetryAfterMs(undefined, NOW_MS)).toBeUndefined();
    expect(parseRetryAfterMs('', NOW_MS)).toBeUndefined();
    expect(parseRetryAfterMs('soon', NOW_MS)).toBeUndefined();
    expect(parseRetryAfterMs('-5', NOW_MS)).toBeUndefined();
  });

  test('when the header repeats, then the first value counts', () => {
    expect(parseRetryAfterMs(['3', '9'], NOW_MS)).toBe(3000);
  });
});
