import { NETWORK_ERROR_CODES } from './network-error.ts';

/** A code kept in the state and shown: a platform's own code is cut to this many characters. */
export const ERROR_CODE_MAX_CHARS = 64;

/**
 * Every code Ticketing BE itself gives, and the platforms' codes the contracts name (cherwell.md,
 * sfyc.md). Metrics label these by name; any other code a platform invents counts as `other`, so
 * a platform cannot grow the metrics without bound (operations.md).
 */
export const KNOWN_ERROR_CODES: ReadonlySet<string> = new Set([
  ...NETWORK_ERROR_CODES,
  'INTERNAL',
  'AUTH_FAILED',
  'TOKEN_UNAVAILABLE',
  'INVALID_RESPONSE',
  'INVALID_PAYLOAD',
  // Per-item answers of the platforms, in our vocabulary or theirs.
  'FIELD_INVALID',
  'RECORD_NOT_FOUND',
  'NOT_FOUND',
  'LOCKED',
  'ROLLED_BACK',
  'SAVE_FAILED',
  'FAILED',
  'TOO_LARGE',
  'MISSING_REC_ID',
]);

/** The metric label of an error code: the code when it is known, else `other`. */
export function metricCode(code: string): string {
  if (KNOWN_ERROR_CODES.has(code) || /^HTTP_[1-5]\d\d$/.test(code)) return code;
  return 'other';
}

/**
 * A code as stored and shown: letters, digits and `_ . : -` (anything else, control characters
 * included, becomes `_`), at most 64 characters, never empty. Our own codes pass unchanged.
 */
export function boundedCode(code: string): string {
  const clean = code.slice(0, ERROR_CODE_MAX_CHARS).replace(/[^A-Za-z0-9_.:-]+/g, '_');
  return clean === '' ? 'UNKNOWN' : clean;
}
