import { describe, expect, test } from 'vitest';
import { classify } from './classify.ts';
import {
  AuthFailedError,
  HttpStatusError,
  InvalidPayloadError,
  InvalidResponseError,
  ItemError,
  NetworkError,
  TokenUnavailableError,
} from './index.ts';

describe('classify', () => {
  test.each([
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [504, 'retry'],
    [402, 'retry'],
    [408, 'retry'],
    [429, 'wait'],
    [400, 'permanent'],
    [404, 'permanent'],
    [409, 'permanent'],
  ])('when a request answers HTTP %i, then the disposition is %s', (status, disposition) => {
    const verdict = classify(new HttpStatusError(status));
    expect(verdict.disposition).toBe(disposition);
    expect(verdict.code).toBe(`HTTP_${status}`);
  });

  test('when Retry-After came with the answer, then the verdict carries it', () => {
    expect(classify(new HttpStatusError(503, { retryAfterMs: 7000 })).retryAfterMs).toBe(7000);
  });

  test('when no answer came, then it is retryable and the outcome unknown', () => {
    for (const code of ['TIMEOUT', 'CONNECTION_RESET', 'CONNECTION_REFUSED', 'NETWORK'] as const) {
      expect(classify(new NetworkError(code, 'x'))).toMatchObject({
        code,
        disposition: 'retry',
        outcomeUnknown: true,
      });
    }
  });

  test('when one item failed, then the platform decides retryable or permanent', () => {
    expect(classify(new ItemError('LOCKED', 'busy', true))).toMatchObject({
      code: 'LOCKED',
      disposition: 'retry',
    });
    expect(classify(new ItemError('FIELD_INVALID', 'bad', false))).toMatchObject({
      disposition: 'permanent',
    });
  });

  test('when access to the platform fails, then nobody is charged', () => {
    expect(classify(new AuthFailedError('cherwell', 'invalid_grant')).disposition).toBe('wait');
    expect(classify(new TokenUnavailableError('token endpoint 503')).disposition).toBe('wait');
  });

  test('when a payload is poisoned, then it is permanent; an unreadable answer is retryable', () => {
    expect(classify(new InvalidPayloadError('x')).disposition).toBe('permanent');
    expect(classify(new InvalidResponseError('x'))).toMatchObject({
      disposition: 'retry',
      outcomeUnknown: true,
    });
  });

  test('when the error is unknown, then it is retried as INTERNAL', () => {
    expect(classify(new TypeError('oops'))).toMatchObject({ code: 'INTERNAL', disposition: 'retry' });
    expect(classify('a string')).toMatchObject({ code: 'INTERNAL', message: 'a string' });
  });
});
