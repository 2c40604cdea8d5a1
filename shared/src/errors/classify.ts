import { AuthFailedError } from './auth-failed-error.ts';
import { HttpStatusError } from './http-status-error.ts';
import { InvalidPayloadError } from './invalid-payload-error.ts';
import { InvalidResponseError } from './invalid-response-error.ts';
import { ItemError } from './item-error.ts';
import { NetworkError } from './network-error.ts';
import { TokenUnavailableError } from './token-unavailable-error.ts';
import { boundedMessage } from '../text.ts';
import { boundedCode } from './codes.ts';

/**
 * What a failure means for a ticket's operation:
 * - `retry`: transient; costs the ticket one attempt, retried with backoff;
 * - `permanent`: retrying cannot help; the ticket goes to the dead letters now;
 * - `wait`: the platform or our access to it is in trouble, not the ticket; try again later at
 *   no cost (auth failures, 429, a token endpoint down).
 */
export type Disposition = 'retry' | 'permanent' | 'wait';

export interface Verdict {
  /** A stable code for operators and WM reports (listed in the README). */
  code: string;
  message: string;
  disposition: Disposition;
  /** How long the platform asked us to wait (`Retry-After`), when it said. */
  retryAfterMs: number | undefined;
  /** The request may have been applied although we got no answer: search before creating again. */
  outcomeUnknown: boolean;
}

type KnownError =
  | HttpStatusError
  | NetworkError
  | ItemError
  | AuthFailedError
  | TokenUnavailableError
  | InvalidResponseError
  | InvalidPayloadError;

const KNOWN = [
  HttpStatusError,
  NetworkError,
  ItemError,
  AuthFailedError,
  TokenUnavailableError,
  InvalidResponseError,
  InvalidPayloadError,
] as const;

function asKnown(error: unknown): KnownError | undefined {
  return KNOWN.some((type) => error instanceof type) ? (error as KnownError) : undefined;
}

/** 5xx, 402 (Cherwell: "valid but failed") and 408 are transient; other 4xx are the request's fault. */
export function httpDisposition(status: number): Disposition {
  if (status === 429) return 'wait';
  if (status >= 500 || status === 402 || status === 408) return 'retry';
  return 'permanent';
}

/**
 * The one place that decides what an error means. Never by the text of a message. A verdict's
 * message and code are bounded here (1 KiB, 64 characters): whatever a platform or WM answered
 * is stored, shown and reported from a verdict (state, history, dead letters, WM reports).
 */
export function classify(error: unknown): Verdict {
  const verdict = unbounded(error);
  return { ...verdict, code: boundedCode(verdict.code), message: boundedMessage(verdict.message) };
}

function unbounded(error: unknown): Verdict {
  const known = asKnown(error);
  if (!known) {
    // A bug or an unexpected library error: retry, so that a fix or a passing fault can save it.
    const message = error instanceof Error ? error.message : String(error);
    return { code: 'INTERNAL', message, disposition: 'retry', retryAfterMs: undefined, outcomeUnknown: true };
  }
  const base = { message: known.message, retryAfterMs: undefined, outcomeUnknown: false };
  switch (known.name) {
    case 'HttpStatusError':
      return {
        ...base,
        code: `HTTP_${known.status}`,
        disposition: httpDisposition(known.status),
        retryAfterMs: known.retryAfterMs,
        // A 5xx may come after the platform saved (commit-then-fail).
        outcomeUnknown: known.status >= 500,
      };
    case 'NetworkError':
      return { ...base, code: known.code, disposition: 'retry', outcomeUnknown: true };
    case 'ItemError':
      return { ...base, code: known.code, disposition: known.retryable ? 'retry' : 'permanent' };
    case 'AuthFailedError':
      return { ...base, code: 'AUTH_FAILED', disposition: 'wait' };
    case 'TokenUnavailableError':
      return { ...base, code: 'TOKEN_UNAVAILABLE', disposition: 'wait', retryAfterMs: known.retryAfterMs };
    case 'InvalidResponseError':
      return { ...base, code: 'INVALID_RESPONSE', disposition: 'retry', outcomeUnknown: true };
    case 'InvalidPayloadError':
      return { ...base, code: 'INVALID_PAYLOAD', disposition: 'permanent' };
  }
}
