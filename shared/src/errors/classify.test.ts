import { describe, expect, test } from 'vitest';
import { OUTSIDE_MESSAGE_MAX_BYTES } from '../text.ts';
import { classify } from './classify.ts';
import { ERROR_CODE_MAX_CHARS, metricCode } from './codes.ts';
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

  test('when a platform answers a huge message and code, then the verdict keeps 1 KiB of the message and 64 characters of the code', () => {
    const verdict = classify(
      new ItemError(`WEIRD-${'Z'.repeat(100_000)}\u001b[31m`, 'é'.repeat(1_000_000), false),
    );
    expect(Buffer.byteLength(verdict.message, 'utf8')).toBeLessThanOrEqual(OUTSIDE_MESSAGE_MAX_BYTES);
    expect(verdict.message.endsWith('…')).toBe(true);
    expect(verdict.code).toHaveLength(ERROR_CODE_MAX_CHARS);
    expect(classify(new ItemError('bad code\u001b[2J', 'x', false)).code).toBe('bad_code_2J');
    expect(classify(new InvalidResponseError('x'.repeat(5000))).message.length).toBeLessThan(1025);
    expect(classify(new ItemError('', 'short', false))).toMatchObject({ code: 'UNKNOWN', message: 'short' });
  });
});

describe('metricCode', () => {
  test('when a code is ours or named by a contract, then it is its own label; any other is `other`', () => {
    for (const code of ['HTTP_503', 'TIMEOUT', 'FIELD_INVALID', 'LOCKED', 'ROLLED_BACK', 'AUTH_FAILED'])
      expect(metricCode(code)).toBe(code);
    for (const code of ['SOMETHING_NEW', 'x'.repeat(64), 'HTTP_9999', 'http_503'])
      expect(metricCode(code)).toBe('other');
  });
});
