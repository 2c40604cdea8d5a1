import { describe, expect, test } from 'vitest';
import { describeErrorBody, scrub } from './body.ts';

describe('describeErrorBody', () => {
  test('when the body is an OAuth or Cherwell error, then its codes and messages are kept', () => {
    expect(describeErrorBody('{"error":"invalid_grant","error_description":"bad password"}', [])).toBe(
      'error=invalid_grant error_description=bad password',
    );
    expect(describeErrorBody('{"errorCode":"LOCKED","errorMessage":"busy","hasError":true}', [])).toBe(
      'errorCode=LOCKED errorMessage=busy',
    );
  });

  test('when the error is nested, then the inner code and message are used', () => {
    expect(describeErrorBody('{"error":{"code":"UNAUTHORIZED","message":"token expired"}}', [])).toBe(
      'code=UNAUTHORIZED message=token expired',
    );
  });

  test('when the body echoes a secret, then it is blanked', () => {
    expect(describeErrorBody('user tbe with password hunter2 refused', ['hunter2'])).toBe(
      'user tbe with password [redacted] refused',
    );
    expect(scrub('a-b-a', ['a', ''])).toBe('[redacted]-b-[redacted]');
    expect(describeErrorBody('   ', [])).toBeUndefined();
  });
});
