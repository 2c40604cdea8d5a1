import { describe, expect, test } from 'vitest';
import { readAuthorization, tokenChecker } from './credentials.ts';
import { safeNext } from './login-page.ts';
import { isCrossSite } from './origin.ts';

describe('credentials', () => {
  test('when a bearer or basic header is read, then the secret is the token or the password', () => {
    expect(readAuthorization('Bearer abc')).toEqual({ scheme: 'bearer', secret: 'abc' });
    const basic = `Basic ${Buffer.from('anyone:pass:with:colons').toString('base64')}`;
    expect(readAuthorization(basic)).toEqual({ scheme: 'basic', secret: 'pass:with:colons' });
    expect(readAuthorization('Digest x')).toBeUndefined();
    expect(readAuthorization('Bearer')).toBeUndefined();
    expect(readAuthorization(undefined)).toBeUndefined();
  });

  test('when tokens are checked, then only the exact token passes, whatever the length presented', () => {
    const check = tokenChecker('the-admin-token-123');
    expect(check('the-admin-token-123')).toBe(true);
    expect(check('the-admin-token-12')).toBe(false);
    expect(check('')).toBe(false);
    expect(check('x'.repeat(10_000))).toBe(false);
  });
});

describe('cross-site check', () => {
  const host = { host: 'tbe.example:3000' };
  test('when a state change comes from a browser page of another origin, then it is cross-site', () => {
    expect(isCrossSite('PUT', { ...host, 'sec-fetch-site': 'cross-site' })).toBe(true);
    expect(isCrossSite('POST', { ...host, 'sec-fetch-site': 'same-site' })).toBe(true);
    expect(isCrossSite('POST', { ...host, origin: 'https://evil.example' })).toBe(true);
    expect(isCrossSite('DELETE', { ...host, origin: 'null' })).toBe(true);
  });

  test('when it comes from our own page, from a non-browser client or only reads, then it passes', () => {
    expect(
      isCrossSite('PUT', { ...host, 'sec-fetch-site': 'same-origin', origin: 'https://evil.example' }),
    ).toBe(false);
    expect(isCrossSite('PUT', { ...host, origin: 'http://tbe.example:3000' })).toBe(false);
    expect(isCrossSite('POST', host)).toBe(false);
    expect(isCrossSite('GET', { ...host, 'sec-fetch-site': 'cross-site' })).toBe(false);
  });
});

describe('login redirect', () => {
  test('when a login names where to go, then only our admin pages are accepted', () => {
    expect(safeNext('/admin/queues/queue/sfyc')).toBe('/admin/queues/queue/sfyc');
    for (const next of [
      '//evil.example',
      '/admin//evil.example',
      'https://evil.example',
      '/admin/\\evil',
      '/api/status',
      null,
    ]) {
      expect(safeNext(next)).toBe('/admin/queues');
    }
  });
});
